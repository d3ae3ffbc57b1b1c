from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Handed-in files"

    def ready(self):
        from submissions import checks, signals  # noqa: F401  (registers them)
