from django.apps import AppConfig


class PlpConfig(AppConfig):
    name = "plp"
    verbose_name = "PLP core"
