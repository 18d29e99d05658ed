from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "openpcn.data.population"
    label = "population"
    verbose_name = "Population health: datasets, cohorts and worklists"
