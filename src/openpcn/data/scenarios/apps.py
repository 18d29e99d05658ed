from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "openpcn.data.scenarios"
    label = "scenarios"
    verbose_name = "What-if scenarios: saved lists of changes against a PCN"
