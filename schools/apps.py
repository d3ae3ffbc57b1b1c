from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and rosters"

    def ready(self):
        from plp.tenancy import access
        from schools.entry import school_access_for

        access.register(school_access_for)  # the tenancy edge (in plp, below) asks who may enter a school
