from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "openpcn.data.services"
    label = "services"
    verbose_name = "Network services: IIF, care homes, Enhanced Access"

    def ready(self):
        from openpcn.data.registry.loaders import Importer, register_importer
        from openpcn.data.services import loaders
        from openpcn.services.iif import achievement_file

        register_importer(
            Importer(loaders.IIF_KIND, achievement_file.detect, loaders.parse_iif, loaders.load_iif)
        )
        register_importer(
            Importer(loaders.CQC_KIND, loaders.detect_cqc, loaders.parse_cqc, loaders.load_cqc)
        )
