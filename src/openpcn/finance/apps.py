from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "openpcn.finance"
    label = "finance"
    verbose_name = "Finance: entitlements, claims, forecast, income split"
