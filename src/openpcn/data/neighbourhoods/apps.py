from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "openpcn.data.neighbourhoods"
    label = "neighbourhoods"
    verbose_name = "Neighbourhoods and their partners"
