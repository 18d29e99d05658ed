from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "openpcn.registry"
    label = "registry"
    verbose_name = "Registry: organisations, memberships and populations"
