from django.urls import path

from openpcn.web.rules import views

app_name = "rules"

urlpatterns = [
    path("rules/", views.year, name="current"),
    path("rules/<str:year>/", views.year, name="year"),
]
