from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PlanportalConfig(AppConfig):
    name = "planportal"
    verbose_name = "Planportal"

    def ready(self) -> None:
        from planportal.lib.swedish import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="planportal-sv-collation")
