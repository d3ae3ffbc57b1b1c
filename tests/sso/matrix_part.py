"""The sso app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py).

The admin pages are school routes: another school's provider id is a 404. The sign-in routes are public
(nobody is signed in yet); each names a school by slug or a provider by its public id, and is asked here
for school A's own provider (a GLOBAL_KWARGS maker): it shows A's sign-in, never B's. That a provider of
B can never start or finish a sign-in at A is tested in tests/sso/test_cross_tenant.py.
"""

from plp.tenancy.context import school_scope
from sso.crypto import secret_encrypt
from sso.models import SsoPolicy, SsoProvider
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute


def _provider(world: SchoolWorld, kind: str = "oidc") -> SsoProvider:
    """A provider of the world's school; its stored discovery points back at this app (no network)."""

    def make(w):
        with school_scope(w.school):
            return SsoProvider.objects.create(
                school=w.school,
                kind=kind,
                preset=kind,
                name=f"{w.school.name} {kind} sign-in",
                issuer=f"http://testserver/{w.school.slug}-issuer",
                client_id=f"{w.school.slug}-client",
                oidc_metadata={
                    "issuer": f"http://testserver/{w.school.slug}-issuer",
                    "authorization_endpoint": "http://testserver/sso/",
                    "token_endpoint": "http://testserver/sso/token",
                    "jwks_uri": "http://testserver/sso/jwks",
                },
                client_secret_encrypted=secret_encrypt("matrix-secret"),
            )

    return world.once(f"sso_provider_{kind}", make)


SCHOOL_B_OBJECT = {"sso_provider_id": lambda b: _provider(b).pk}

SCHOOL_ROUTES = {
    "sso:settings": SchoolRoute(),
    "sso:provider_new": SchoolRoute(),
    "sso:provider_edit": SchoolRoute(),
    "sso:provider_delete": SchoolRoute(),
}


def _a_provider(kind: str):
    return lambda a: {"provider": _provider(a, kind).public_id}


GLOBAL_ROUTES = {
    "sso:find": "lists schools by the name typed (3 letters at least), as a school picker does; no setup",
    "sso:refused": "says why this browser's own sign-in was refused (kept in its own session)",
    "sso:school": "a school's public sign-in page: its name and button labels, nothing else",
    "sso:start": "sends this browser to the named school's own provider; another school's is a 404",
    "sso:oidc_callback": "finishes only a sign-in this browser's session started (state, PKCE, nonce)",
    "sso:saml_metadata": "the SP's public metadata (entity id and ACS URL, no secret)",
    "sso:saml_acs": "POST only; takes only a signed answer to a request this provider made",
}

# Makers (called with school A's world) or fixed kwargs of the global routes above.
GLOBAL_KWARGS = {
    "sso:school": {"school": "alpha"},
    "sso:start": lambda a: {"school": "alpha", "provider": _provider(a).public_id},
    "sso:oidc_callback": _a_provider("oidc"),
    "sso:saml_metadata": _a_provider("saml"),
    "sso:saml_acs": _a_provider("saml"),
}


def snapshot(world: SchoolWorld):
    """School B's SSO setup, which no request from school A may change."""
    providers = list(SsoProvider.objects.order_by("pk").values_list("pk", "name", "is_enabled", "client_id"))
    policies = list(SsoPolicy.objects.values_list("match_by", "allowed_domains", "required_roles"))
    return providers, policies
