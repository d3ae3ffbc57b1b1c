from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Teacher dashboards"

    def ready(self):
        from dashboard import versions

        versions.connect()
