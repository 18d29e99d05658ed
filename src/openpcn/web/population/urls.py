from django.urls import path

from openpcn.web.population import views

app_name = "population"

urlpatterns = [
    path("network/<str:code>/population/", views.pcn_overview, name="network"),
    path("network/<str:code>/population/worklist/", views.pcn_worklist, name="network-worklist"),
    path("network/<str:code>/population/reviews/", views.record_review, name="record-review"),
    path("network/<str:code>/smr/", views.smr, name="smr"),
    path("network/<str:code>/population/extract/", views.load_extract, name="extract"),
    path("practice/<str:code>/population/", views.practice_overview, name="practice"),
    path(
        "practice/<str:code>/population/worklist/",
        views.practice_worklist,
        name="practice-worklist",
    ),
]
