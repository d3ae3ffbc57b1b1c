from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "engine"
    verbose_name = "Learning engine"

    def ready(self):
        from engine import brief, enqueue, selectors  # noqa: F401  (brief: registers the brief's flags part)
        from plp import recompute, school_thresholds

        recompute.register(enqueue)  # the apps below the engine ask for recomputes through plp.recompute
        # The pace and the mentee list read a school's tolerance and check-in cadence in their own query.
        school_thresholds.register(selectors.thresholds_rows)
