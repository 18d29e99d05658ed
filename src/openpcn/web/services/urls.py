from django.urls import path

from openpcn.web.services import views

app_name = "services"

urlpatterns = [
    path("network/<str:code>/iif/", views.iif, name="iif"),
    path("network/<str:code>/care-homes/", views.care_homes, name="care-homes"),
    path("network/<str:code>/care-homes/plans/", views.care_plans, name="care-plans"),
    path("network/<str:code>/enhanced-access/", views.enhanced_access, name="enhanced-access"),
]
