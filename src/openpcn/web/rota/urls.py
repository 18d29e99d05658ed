from django.urls import path

from openpcn.web.rota import views

app_name = "rota"

urlpatterns = [
    path("network/<str:code>/rota/", views.plans, name="plans"),
    path("network/<str:code>/rota/<int:plan_id>/", views.plan, name="plan"),
    path("network/<str:code>/rota/<int:plan_id>/publish/", views.publish, name="publish"),
    path("network/<str:code>/rota/<int:plan_id>/export.<str:fmt>", views.export, name="export"),
    path("my-rota.ics", views.my_rota_ics, name="my-ics"),
]
