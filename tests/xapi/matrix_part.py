"""The xapi app's entry in the cross-tenant matrix (tests/test_cross_tenant_matrix.py): the school admins'
LRS settings page (its test and send-now buttons post to the same URL)."""

from sso.crypto import secret_encrypt
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute
from xapi.models import LrsConnection, OutboxStatement

SCHOOL_ROUTES = {"xapi:settings": SchoolRoute()}


def snapshot(world: SchoolWorld):
    """School B's LRS settings and outbox, which nobody from school A may change (or trigger)."""
    world.once(
        "lrs_connection",
        lambda w: LrsConnection.objects.create(
            school=w.school,
            endpoint="https://lrs.bravo.example.org/xAPI/",
            key="bravo-key",
            secret_encrypted=secret_encrypt("bravo-secret"),
            enabled=True,
        ),
    )
    return (
        sorted(LrsConnection.objects.values_list("pk", "endpoint", "key", "secret_encrypted", "enabled")),
        sorted(OutboxStatement.objects.values_list("pk", "sent_at", "next_attempt_at", "attempts")),
    )
