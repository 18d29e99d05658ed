from django.urls import path

from openpcn.web.scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("network/<str:code>/plans/", views.scenarios, name="list"),
]
