from django.apps import AppConfig


class LtiPlatformConfig(AppConfig):
    name = "lti_platform"
    verbose_name = "LTI 1.3 platform (external tools)"
