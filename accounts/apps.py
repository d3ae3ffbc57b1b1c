from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import schema  # noqa: F401 (registers the API token's OpenAPI security scheme)
        from accounts.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="plp-start-idle-clock")
