from django.urls import path

from openpcn.web.neighbourhoods import views

app_name = "neighbourhoods"

urlpatterns = [
    path("", views.neighbourhoods, name="list"),
    path("<str:code>/new/", views.create, name="create"),
    path("<str:code>/<str:slug>/", views.detail, name="detail"),
    path("<str:code>/<str:slug>/deciles.csv", views.deciles_csv, name="deciles-csv"),
]
