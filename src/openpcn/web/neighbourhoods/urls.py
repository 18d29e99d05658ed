from django.urls import path

from openpcn.web.neighbourhoods import views

app_name = "neighbourhoods"

urlpatterns = [
    path("", views.neighbourhoods, name="list"),
    path("teams/", views.my_teams, name="my-teams"),
    path("<str:code>/new/", views.create, name="create"),
    path("<str:code>/<str:slug>/", views.detail, name="detail"),
    path("<str:code>/<str:slug>/deciles.csv", views.deciles_csv, name="deciles-csv"),
    path("<str:code>/<str:slug>/residence.csv", views.residence_csv, name="residence-csv"),
    path("<str:code>/<str:slug>/teams/new/", views.team_create, name="team-create"),
    path("<str:code>/<str:slug>/teams/<str:team>/", views.team, name="team"),
    path("<str:code>/<str:slug>/teams/<str:team>/caseload/", views.caseload, name="caseload"),
]
