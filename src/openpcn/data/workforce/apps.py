from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "openpcn.data.workforce"
    label = "workforce"
    verbose_name = "Workforce: NWRS national workforce and benchmark"

    def ready(self):
        from openpcn.data.registry.loaders import Importer, register_importer
        from openpcn.data.workforce import loaders
        from openpcn.workforce import nwrs

        register_importer(Importer(nwrs.KIND, nwrs.detect, nwrs.parse, loaders.load_nwrs))
