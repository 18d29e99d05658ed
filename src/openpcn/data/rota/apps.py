from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "openpcn.data.rota"
    label = "rota"
    verbose_name = "Rota: plans for staff shared across member practices"
