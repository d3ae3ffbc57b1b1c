"""DRF's single, never-expiring token per person (``rest_framework.authtoken``, no longer installed) becomes
one of our tokens: the same key keeps working (we store only its SHA-256) until it expires after
``API_TOKEN_DAYS``, named "Token from before per-client tokens" on its owner's account page; then the client
issues a new one. The old table's plain-text keys are deleted; the empty table is left for the platform staff
to drop (``DROP TABLE authtoken_token``), as is DRF's migration history."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"
CLIENT_NAME = "Token from before per-client tokens"


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return  # a fresh database: DRF's token app never ran here
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {OLD_TABLE}")  # noqa: S608 (a constant)
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user_id=user_id,
                client_name=CLIENT_NAME,
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                key_prefix=key[:8],
                created_at=now,
                expires_at=now + dt.timedelta(days=settings.API_TOKEN_DAYS),
            )
            for key, user_id in rows
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")  # no plain-text keys left behind


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_tokens_and_session_epoch")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
