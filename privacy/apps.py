from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Student data rights"

    def ready(self):
        from plp import sharing
        from privacy.selectors import sharing_refusals

        sharing.register(sharing_refusals)  # the senders below privacy ask it through plp.sharing
