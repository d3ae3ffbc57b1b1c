"""The retention prune as the app role: a function that deletes only what the school's retention allows.

The prune used to need the table owner's connection (``PLP_AUDIT_PRUNE_DATABASE_URL``); the production
shape (docker-compose) never gave the worker one, so the daily prune failed there with "permission denied"
and the log was kept forever. Handing the worker the owner's credentials would put the migrations role (a
superuser in compose) in every worker; instead the owner defines ``audit_prune_expired(school, cutoff)``,
``SECURITY DEFINER``, which the app role may execute and nothing else may: it deletes the school's entries
older than the cutoff *and* older than the school's own retention (``privacy_privacysettings``, never under
30 days), so even a compromised app can only remove what the school's policy already lets go. Inside it the
owner passes the append-only trigger (which asks for ``plp.audit_prune`` and the owner role).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_prune_expired(p_school bigint, p_cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    keep_days integer;
    removed integer;
BEGIN
    SELECT audit_retention_days INTO keep_days FROM privacy_privacysettings WHERE school_id = p_school;
    keep_days := greatest(coalesce(keep_days, 1095), 30);
    PERFORM set_config('plp.audit_prune', 'on', true);
    DELETE FROM audit_auditentry
        WHERE school_id = p_school AND at < least(p_cutoff, now() - make_interval(days => keep_days));
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('plp.audit_prune', 'off', true);
    RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION audit_prune_expired(bigint, timestamptz) FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS audit_prune_expired(bigint, timestamptz);"


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger"), ("privacy", "0001_initial")]

    operations = [migrations.RunPython(_forward, _backward, elidable=False)]
