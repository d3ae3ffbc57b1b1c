"""The lti app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py).

The admin pages are school routes: another school's registration id is a 404. The LTI endpoints an LMS
calls are public (nobody is signed in yet); each names a registration by its public id and is asked here for
school A's own registration: it shows A's, never B's. That a launch from B's deployment never signs anyone
in at A is tested in tests/lti/test_launch.py.
"""

from lti.models import LtiDeployment, LtiRegistration, LtiToolKey
from lti.services import registration_save
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute


def registration_make(world: SchoolWorld, **fields) -> LtiRegistration:
    """A registration of the world's school (its first key made), pointing at an LMS that is not running
    unless ``fields`` say otherwise."""
    slug = world.school.slug
    values = {
        "name": f"{world.school.name} LMS",
        "issuer": f"https://lms.{slug}.example.test",
        "client_id": f"plp-{slug}",
        "auth_login_url": f"https://lms.{slug}.example.test/auth",
        "auth_token_url": f"https://lms.{slug}.example.test/token",
        "key_set_url": f"https://lms.{slug}.example.test/jwks",
        **fields,
    }
    deployment = values.pop("deployment_id", f"dep-{slug}")
    return registration_save(
        registration=LtiRegistration(school=world.school, **values), deployment_ids=[deployment]
    )


def _registration(world: SchoolWorld) -> LtiRegistration:
    return world.once("lti_registration", registration_make)


SCHOOL_B_OBJECT = {"lti_registration_id": lambda b: _registration(b).pk}

SCHOOL_ROUTES = {
    "lti:settings": SchoolRoute(),
    "lti:registration_new": SchoolRoute(),
    "lti:registration_edit": SchoolRoute(),
    "lti:registration_rotate_key": SchoolRoute(),
    "lti:registration_delete": SchoolRoute(),
    "lti:deep_link": SchoolRoute(),
}

GLOBAL_ROUTES = {
    "lti:login": "starts a launch for the named registration only (state and nonce of this browser)",
    "lti:launch": "POST only; signs in only from a signed, single-use id_token of the named registration",
    "lti:jwks": "the public half of PLP's keys for the named registration; no private key, no school data",
    "lti:refused": "says why this browser's own launch was refused (kept in its own session)",
}


def _a_registration(a: SchoolWorld) -> dict:
    return {"registration": _registration(a).public_id}


GLOBAL_KWARGS = {"lti:login": _a_registration, "lti:launch": _a_registration, "lti:jwks": _a_registration}


def snapshot(world: SchoolWorld):
    """School B's LTI setup, which no request from school A may change."""
    registrations = list(
        LtiRegistration.objects.order_by("pk").values_list("pk", "name", "client_id", "is_enabled")
    )
    deployments = list(LtiDeployment.objects.order_by("pk").values_list("pk", "deployment_id"))
    keys = list(LtiToolKey.objects.order_by("pk").values_list("pk", "kid", "retired_at"))
    return registrations, deployments, keys


# Course rosters (NRPS): school B's course, as a launch from B's LMS records it.
def _course(world: SchoolWorld):
    from lti.models import LtiContext

    def make(w: SchoolWorld):
        with school_scope(w.school):
            return LtiContext.objects.create(
                school=w.school,
                registration=_registration(w),
                context_id=f"course-{w.school.slug}",
                title=f"{w.school.name} course",
                memberships_url=f"https://lms.{w.school.slug}.example.test/courses/1/memberships",
                launched_by=w.user(Role.TEACHER),
            )

    return world.once("lti_context", make)


SCHOOL_B_OBJECT["lti_context_id"] = lambda b: _course(b).pk
SCHOOL_ROUTES.update(
    {
        "lti:courses": SchoolRoute(),
        "lti:course_roster": SchoolRoute(),
        "lti:course_roster_apply": SchoolRoute(),
    }
)

GLOBAL_ROUTES["lti:dynamic_registration"] = (
    "an LMS's registration request: it registers PLP only for a school the signed-in person administers, "
    "chosen by them; it shows nothing of any school before that choice"
)
