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
        _register_tasks_when_eager()


def _register_tasks_when_eager() -> None:
    """With Celery eager (the embedded default: no Redis), a task sent by its name runs only if this process
    has registered it; the apps send theirs by name (a recompute, a what-if's replay) so as not to import
    their pipelines, and Celery would otherwise drop them ("AlwaysEagerIgnored") and leave the student's
    Next up, or the what-if, waiting for a worker that does not exist. A worker registers every app's tasks
    when it starts; an eager web process does it here, once every app is loaded."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")  # each app's tasks.py, as Celery's autodiscovery finds them
