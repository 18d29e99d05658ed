from django.urls import path

from openpcn.web.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.explorer_page, name="explorer"),
    path("download/<str:table>.csv", views.explorer_csv, name="explorer-csv"),
    path("search/", views.search, name="search"),
    path("pcn/<str:code>/", views.pcn, name="pcn"),
    path("practice/<str:code>/", views.practice, name="practice"),
]
