from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops and the week"

    def ready(self):
        from workshops import brief  # noqa: F401  (registers the mentor's brief part)
