#!/bin/sh
# Runs once, when the database volume is first initialised (postgres image: /docker-entrypoint-initdb.d).
# The app's role: it logs in, owns nothing, is no superuser and cannot bypass row-level security; `migrate`
# (as the owner, POSTGRES_USER) grants it what it needs on every table. For a volume made before this
# script existed, run the same statement by hand as the owner.
set -eu
: "${PLP_APP_DB_PASSWORD:?PLP_APP_DB_PASSWORD must be set: the app role's password}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_role="${PLP_DB_APP_ROLE:-plp_app}" -v app_password="$PLP_APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
              :'app_role', :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
SQL
