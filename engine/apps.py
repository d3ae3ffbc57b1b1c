from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "engine"
    verbose_name = "Learning engine"

    def ready(self):
        from engine import brief, enqueue  # noqa: F401  (brief: registers the brief's flags part)
        from plp import recompute

        recompute.register(enqueue)  # the apps below the engine ask for recomputes through plp.recompute
