from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "openpcn.data.registry"
    label = "registry"
    verbose_name = "Registry: organisations, memberships and populations"
