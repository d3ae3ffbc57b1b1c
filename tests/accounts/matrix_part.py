"""The accounts app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from tests.conftest import SchoolWorld

GLOBAL_ROUTES = {
    "accounts:password_reset": "asks for an email; the answer is the same whoever owns it",
    "accounts:password_reset_done": "a fixed page",
    "accounts:password_reset_confirm": "sets the password of the account a signed token names",
    "accounts:account": "the requesting person's own account and tokens",
    "accounts:password_change": "changes the requesting person's own password",
    "accounts:sign_out_everywhere": "ends the requesting person's own sessions (POST only)",
    "accounts:token_create": "issues a token to the requesting person (POST only)",
    "accounts:token_revoke": "revokes one of the requesting person's own tokens (POST only; 404 for others')",
    "api:my_tokens": "the requesting person's own tokens",
    "api:my_token": "revokes one of the requesting person's own tokens (DELETE only; 404 for others')",
}

GLOBAL_KWARGS = {
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "accounts:token_revoke": {"token_id": 1},
    "api:my_token": {"token_id": 1},
}


def _tokens(world: SchoolWorld) -> list[int]:
    """Every person of the world holds a token bound to the school and one bound to none."""
    from accounts.services import api_token_issue

    ids = []
    for person in world.people.values():
        ids.append(api_token_issue(user=person, client_name="matrix", school=world.school)[0].pk)
        ids.append(api_token_issue(user=person, client_name="matrix-any")[0].pk)
    return ids


def snapshot(world: SchoolWorld):
    """The world's people's sessions (their epoch) and API tokens: no request from another school may end
    them."""
    from accounts.models import ApiToken, User

    world.once("api_tokens", _tokens)
    people = [person.pk for person in world.people.values()]
    return (
        sorted(User.objects.filter(pk__in=people).values_list("pk", "session_epoch")),
        sorted(ApiToken.objects.filter(user_id__in=people).values_list("pk", "revoked_at", "expires_at")),
    )
