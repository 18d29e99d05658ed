from django.apps import AppConfig


class RulesOverlaysConfig(AppConfig):
    name = "openpcn.data.rules"
    label = "rules_overlays"
    verbose_name = "Rules: ICB local variations (overlays) of the national rules"
