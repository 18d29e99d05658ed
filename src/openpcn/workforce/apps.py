from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "openpcn.workforce"
    label = "workforce"
    verbose_name = "Workforce: NWRS national workforce and benchmark"

    def ready(self):
        from openpcn.registry.loaders import Importer, register_importer
        from openpcn.workforce import loaders, nwrs

        register_importer(Importer(nwrs.KIND, nwrs.detect, nwrs.parse, loaders.load_nwrs))
