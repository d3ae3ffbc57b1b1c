from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and rosters"

    def ready(self):
        from accounts import person_schools
        from plp.tenancy import access
        from schools import selectors
        from schools.entry import school_access_for
        from schools.invitations import invitation_mark_accepted

        access.register(school_access_for)  # the tenancy edge (in plp, below) asks who may enter a school
        person_schools.register(  # so do sign-in, the account page and account emails (accounts, below)
            schools_for_user=selectors.schools_for_user,
            school_names=selectors.person_school_names,
            idle_limits=selectors.person_idle_limits,
            invitation_accepted=invitation_mark_accepted,
        )
