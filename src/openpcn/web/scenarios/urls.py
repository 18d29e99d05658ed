from django.urls import path

from openpcn.web.scenarios import icb_views, views

app_name = "scenarios"

urlpatterns = [
    path("network/<str:code>/plans/", views.scenarios, name="list"),
    path("network/<str:code>/plans/<str:scenario>.xlsx", views.scenario_xlsx, name="xlsx"),
    path("icb/<str:code>/plans/", icb_views.icb_scenarios, name="icb-list"),
    path("icb/<str:code>/plans/<str:scenario>.xlsx", icb_views.icb_scenario_xlsx, name="icb-xlsx"),
]
