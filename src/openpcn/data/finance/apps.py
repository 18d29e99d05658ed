from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "openpcn.data.finance"
    label = "finance"
    verbose_name = "Finance: entitlements, claims, forecast, income split"
