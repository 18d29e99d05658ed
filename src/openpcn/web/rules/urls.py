from django.urls import path

from openpcn.web.rules import views

app_name = "rules"

# Only <str:code> in routes (the access-rule test fills it in); years are query parameters.
urlpatterns = [
    path("rules/", views.year, name="current"),
    path("rules/diff/", views.rules_diff, name="diff"),
    path("rules/<str:year>/", views.year, name="year"),
    path("icb/<str:code>/rules/", views.icb_overlay, name="icb-overlay"),
]
