from django.apps import AppConfig


class SsoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        from accounts import person_schools
        from sso.selectors import sso_required_for

        # Sign-in (accounts, below) refuses a password where a school's single sign-on must be used.
        person_schools.register(sso_required_for=sso_required_for)
