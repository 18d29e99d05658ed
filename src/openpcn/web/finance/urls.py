from django.urls import path

from openpcn.web.finance import views, views_claims, views_money, views_register, views_role_cost

app_name = "finance"

# Only <str:code> in routes (the access-rule test fills it in); everything else is a query
# parameter or a form field.
urlpatterns = [
    path("network/<str:code>/finance/", views.entitlements, name="entitlements"),
    path("network/<str:code>/finance/staff/", views_register.register, name="register"),
    path("network/<str:code>/finance/staff/edit/", views_register.staff_edit, name="staff-edit"),
    path("network/<str:code>/finance/claims/", views_claims.claims, name="claims"),
    path(
        "network/<str:code>/finance/claims/schedule.xlsx",
        views_claims.schedule,
        name="claims-schedule",
    ),
    path("network/<str:code>/finance/forecast/", views_money.forecast, name="forecast"),
    path("network/<str:code>/finance/split/", views_money.income_split, name="split"),
    path("icb/<str:code>/finance/", views_money.icb_overview, name="icb"),
    path("finance/role-cost/", views_role_cost.role_cost, name="role-cost"),
    path("finance/role-cost/cost.xlsx", views_role_cost.role_cost_download, name="role-cost-xlsx"),
]
