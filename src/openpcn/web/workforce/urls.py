from django.urls import path

from openpcn.web.workforce import views

app_name = "workforce"

urlpatterns = [
    path("network/<str:code>/workforce/", views.benchmark, name="benchmark"),
    path("network/<str:code>/workforce/coverage/", views.coverage_page, name="coverage"),
]
