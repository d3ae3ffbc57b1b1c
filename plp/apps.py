from django.apps import AppConfig


class PlpConfig(AppConfig):
    name = "plp"
    verbose_name = "PLP core"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from plp.tenancy.rls import apply_rls_after_migrate

        # After every migrate (as the owner): row-level security on every tenant table, new ones included.
        # post_migrate is sent per app with models, once all migrations ran; this package has none of its
        # own, so it listens for the schools app's (the root of tenancy), once per migrate.
        post_migrate.connect(
            apply_rls_after_migrate, sender=apps.get_app_config("schools"), dispatch_uid="plp_apply_rls"
        )
