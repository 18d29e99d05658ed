from django.apps import AppConfig

# Read by the SQLite trigger that refuses deletes from the audit log. Only the test runner
# unlocks it, to empty its own test database between tests.
AUDIT_LOCK = {"locked": True}


def _register_audit_lock(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "openpcn_audit_locked", 0, lambda: int(AUDIT_LOCK["locked"])
        )


class WebConfig(AppConfig):
    name = "openpcn.data.accounts"
    label = "web"
    verbose_name = "OpenPCN accounts and audit"

    def ready(self):
        from django.conf import settings
        from django.db.backends.signals import connection_created

        connection_created.connect(_register_audit_lock)
        if settings.ENV == "test":
            AUDIT_LOCK["locked"] = False
