from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = "Self-direction levels"

    def ready(self):
        # The mentor's brief gets a part about the student's level (mentoring.brief.BRIEF_PARTS).
        from agency import brief, gates  # noqa: F401
        from plp import self_direction

        self_direction.register(gates)  # the gates asked by playlists, mastery and mentoring (all below)
