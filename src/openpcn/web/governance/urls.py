from django.urls import path

from openpcn.web.governance import views

app_name = "governance"

BASE = "network/<str:code>/governance/"

urlpatterns = [
    path(BASE, views.overview, name="overview"),
    path(f"{BASE}agreement/", views.agreement, name="agreement"),
    path(f"{BASE}decisions/", views.decisions, name="decisions"),
    path(f"{BASE}meetings/", views.meetings, name="meetings"),
    path(f"{BASE}cd-time/", views.cd_time, name="cd-time"),
    path(f"{BASE}maturity/", views.maturity, name="maturity"),
    path(f"{BASE}<str:what>.csv", views.export, name="csv"),
]
