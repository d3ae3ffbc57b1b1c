"""PLP settings, read from the environment.

Two modes, chosen by ``PLP_ENV``:

* ``development`` (default): DEBUG on, SQLite unless ``DATABASE_URL`` says otherwise, Celery runs tasks
  eagerly unless ``REDIS_URL`` is set.
* ``production``: DEBUG off, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` required, HTTPS-only cookies and HSTS, so
  that ``manage.py check --deploy`` is clean.

One module over 400 lines on purpose: Django reads its settings from one module, and each group of
settings here is short and commented where it is set; split, a setting would be looked for in several files.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from plp.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PLP_ENV = env_str("PLP_ENV", "development")
if PLP_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PLP_ENV must be 'development' or 'production', not {PLP_ENV!r}.")
PRODUCTION = PLP_ENV == "production"

DEBUG = False if PRODUCTION else env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-plp-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its form templates, for FORM_RENDERER below
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "plp",
    "accounts",
    "schools",
    "learners",
    "playlists",
    "mastery",
    "mentoring",
    "engine",
    "dashboard",
    "audit",
    "privacy",
    "workshops",
    "sso",
    "agency",
    "submissions",
    "lti",
    "lti_platform",
    "xapi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "plp.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "plp.middleware.RejectNullBytesInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (the CSRF check reads a form, and with it any file in it, to disk).
    "plp.middleware.RequestSizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleSignOutMiddleware",
    "accounts.middleware.EndedSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "plp.tenancy.middleware.SchoolTenancyMiddleware",
    # Reads of student records, buffered per request and written in one INSERT (audit/recorder.py).
    "audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "plp.urls"
WSGI_APPLICATION = "plp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.tenancy",
            ],
            "builtins": ["plp.templatetags.plp_time"],  # |day and |moment: one time format per kind
        },
    },
]

# Every form field renders through templates/forms/field.html (label, help, errors together).
FORM_RENDERER = "plp.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: opening one costs a PostgreSQL backend start on every request.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL enforces the tenancy a second time (row-level security, plp.tenancy.rls): our backend hands
    # the active school to the session before each query. DATABASE_URL is the app's role, which owns
    # nothing (PLP_DB_APP_ROLE, default plp_app); migrations run with DATABASE_URL set to the owner's.
    DATABASES["default"]["ENGINE"] = "plp.tenancy.postgresql"
    if env_str("PLP_DB_SET_ROLE", ""):
        # Log in as one role and act as another (SET ROLE on each new connection): the tests' workers, or
        # a deployment whose login role is shared. The acting role is what row-level security sees.
        DATABASES["default"].setdefault("OPTIONS", {})["assume_role"] = env_str("PLP_DB_SET_ROLE", "")
# The role the app connects as; `migrate` (as the owner) grants it what it needs, no more.
PLP_DB_APP_ROLE = env_str("PLP_DB_APP_ROLE", "plp_app")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's database: a write that starts inside a read transaction (the check page autosaves an answer
    # while the student submits) would fail at once with "database is locked"; BEGIN IMMEDIATE makes the
    # second writer wait for the first instead.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The tenant: the tenancy core (plp/tenancy/) reads it by this name, below the app that defines it.
PLP_TENANT_MODEL = "schools.School"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitation links live longer than password-reset links (Django's default: 3 days): a school invites
# its people before term starts.
INVITATION_TIMEOUT = env_int("PLP_INVITATION_DAYS", 14) * 24 * 3600
# Signing in (README "Signing in"): a reset link lives an hour and works once; failed sign-ins lock.
PASSWORD_RESET_TIMEOUT = env_int("PLP_PASSWORD_RESET_MINUTES", 60) * 60
LOGIN_FAILURES_PER_ACCOUNT = env_int("PLP_LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("PLP_LOGIN_FAILURES_PER_ADDRESS", 100)  # a school shares one address
LOGIN_FAILURE_WINDOW = env_int("PLP_LOGIN_FAILURE_WINDOW_MINUTES", 15) * 60
LOGIN_LOCKOUT_SECONDS = env_int("PLP_LOGIN_LOCKOUT_MINUTES", 15) * 60
PASSWORD_RESET_REQUESTS_PER_HOUR = env_int("PLP_PASSWORD_RESET_REQUESTS_PER_HOUR", 5)
# API tokens (accounts.ApiToken): how long one lives unless its owner picks another lifetime, up to the max.
API_TOKEN_DAYS = env_int("PLP_API_TOKEN_DAYS", 30)
API_TOKEN_MAX_DAYS = env_int("PLP_API_TOKEN_MAX_DAYS", 365)
API_TOKENS_PER_PERSON = env_int("PLP_API_TOKENS_PER_PERSON", 20)  # live ones; beyond, revoke one first
# Idle sign-out for people with no school (platform staff); schools set their own (School.idle_minutes_*).
IDLE_MINUTES_DEFAULT = env_int("PLP_IDLE_MINUTES_DEFAULT", 60)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "schools:picker"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, WhiteNoise serves straight from the app and static/ folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Files students hand in (submissions/): on local disk under MEDIA_ROOT by default (outside static, never
# served by URL: a view checks who asks, then streams), or in an S3-compatible bucket (MinIO, AWS).
MEDIA_ROOT = Path(env_str("PLP_MEDIA_ROOT", str(BASE_DIR / "media")))
SUBMISSION_STORAGE = env_str("PLP_SUBMISSION_STORAGE", "local")
if SUBMISSION_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"PLP_SUBMISSION_STORAGE must be 'local' or 's3', not {SUBMISSION_STORAGE!r}.")
_SUBMISSION_STORAGE = (
    {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": MEDIA_ROOT / "submissions",
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
    if SUBMISSION_STORAGE == "local"
    else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PLP_S3_BUCKET", "plp-submissions"),
            "endpoint_url": env_str("PLP_S3_ENDPOINT_URL", "") or None,  # unset: AWS itself
            "region_name": env_str("PLP_S3_REGION", "") or None,
            "access_key": env_str("PLP_S3_ACCESS_KEY_ID", ""),
            "secret_key": env_str("PLP_S3_SECRET_ACCESS_KEY", ""),
            "location": "submissions",
            "default_acl": "private",
            "querystring_auth": True,  # never a public URL (we stream through a view anyway)
            "file_overwrite": False,
            "addressing_style": env_str("PLP_S3_ADDRESSING_STYLE", "path"),  # MinIO wants path-style
        },
    }
)
# Per deployment: the largest file a student may hand in, and which kinds (submissions/filetypes.py).
SUBMISSION_MAX_BYTES = env_int("PLP_SUBMISSION_MAX_BYTES", 20 * 1024 * 1024)
_FILE_TYPES = "pdf,png,jpeg,gif,webp,txt,docx,xlsx,pptx,odt,ods,odp"
SUBMISSION_FILE_TYPES = tuple(env_list("PLP_SUBMISSION_FILE_TYPES", default=_FILE_TYPES.split(",")))
# The largest request body read at all (plp.middleware.RequestSizeMiddleware): the largest upload (a roster
# or a Common Cartridge, 100 MB; a handed-in file) and its form. Without a session, a body past
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) is refused too: a sign-in, an LTI launch or a SAML answer is a few KB.
_LARGEST_UPLOAD = max(100 * 1024 * 1024, SUBMISSION_MAX_BYTES)
MAX_REQUEST_BYTES = env_int("PLP_MAX_REQUEST_BYTES", _LARGEST_UPLOAD + 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "submissions": _SUBMISSION_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Redis: broker, result backend and cache when REDIS_URL is set; otherwise everything runs in process.
# They share one Redis database: never call cache.clear() (FLUSHDB would drop queued tasks).
REDIS_URL = env_str("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    # An in-process cache is one per gunicorn worker: each would keep its own API throttle counts (three
    # workers, three times the rate) and its own copy of cached sessions (a logout seen by one worker only).
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: the cache every worker shares (throttles, sessions) and "
        "the Celery broker."
    )
# Cached rows and versions describe one database: keys carry its name, so two databases sharing a Redis
# database (a bench beside the app, two checkouts) never read each other's dashboard rows or versions.
CACHE_KEY_PREFIX = env_str("PLP_CACHE_KEY_PREFIX", "") or f"plp:{DATABASES['default']['NAME']}"
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
        if REDIS_URL
        # The dashboards cache a row per student (and a version each): more than locmem's default 300.
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    )
}

# Sessions are read from the cache (written through to the database): one query less on every page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_DEFAULT_QUEUE = env_str("PLP_CELERY_QUEUE", "celery")  # benches and tests use their own
# Exactly one beat process runs these (docker-compose's `beat`): dirty students every few minutes,
# everyone nightly (engine.tasks.sweep fans out chunks across the workers).
CELERY_BEAT_SCHEDULE = {
    "engine-sweep-dirty": {
        "task": "engine.sweep",
        "schedule": float(env_str("PLP_SWEEP_DIRTY_SECONDS", "180")),
        "kwargs": {"dirty_only": True},
    },
    "engine-sweep-everyone": {
        "task": "engine.sweep",
        "schedule": crontab(hour=2, minute=30),
        "kwargs": {"dirty_only": False},
    },
    # Student data rights: departures noted, students past the school's retention erased, the audit log
    # pruned past its retention (privacy/tasks.py).
    "privacy-retention": {"task": "privacy.retention_sweep", "schedule": crontab(hour=3, minute=15)},
    # xAPI statements waiting in the outbox go to each school's learning record store (xapi/tasks.py).
    "xapi-drain": {
        "task": "xapi.drain_everywhere",
        "schedule": float(env_str("PLP_XAPI_DRAIN_SECONDS", "60")),
    },
    # Each school's BKT parameters refitted from its own practice history (mastery.fit_services), weekly by
    # default (Sunday night, UTC): a week adds enough answers to move a fit, and a fit is minutes of CPU.
    "mastery-fit-models": {
        "task": "mastery.fit_models_everywhere",
        "schedule": crontab(
            day_of_week=env_str("PLP_FIT_MODELS_DAY_OF_WEEK", "sun"),
            hour=env_str("PLP_FIT_MODELS_HOUR", "3"),
            minute=0,
        ),
    },
}
# PLP's public address (https://plp.example.org): xAPI activity ids and students' account home pages
# live under it. Unset, the address the school admin used when saving the LRS settings is kept.
PLP_BASE_URL = env_str("PLP_BASE_URL", "")

# The connection the audit log's retention prune deletes through. With row-level security the app's role
# may only INSERT and SELECT audit entries: PLP_AUDIT_PRUNE_DATABASE_URL connects as the table's owner (the
# migrations role) for that one DELETE; unset, the prune uses the app's own connection.
AUDIT_PRUNE_DATABASE = "default"
if env_str("PLP_AUDIT_PRUNE_DATABASE_URL", ""):
    DATABASES["audit_owner"] = dj_database_url.parse(env_str("PLP_AUDIT_PRUNE_DATABASE_URL", ""))
    AUDIT_PRUNE_DATABASE = "audit_owner"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

REST_FRAMEWORK = {
    # Token first so that an anonymous API request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Ours bounds the nesting depth (a deep body would raise RecursionError in any endpoint).
    "DEFAULT_PARSER_CLASSES": [
        "plp.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "plp.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "plp.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
    "EXCEPTION_HANDLER": "plp.api.exceptions.exception_handler",
    # Throttles count per client address in the default cache (Redis in production, shared by every worker).
    # The address is the socket's unless PLP_NUM_PROXIES reverse proxies stand in front: then the entry the
    # nearest of them appended to X-Forwarded-For. Entries a client sends itself are never trusted.
    "NUM_PROXIES": env_int("PLP_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PLP API",
    "DESCRIPTION": (
        "Personalized learning platform. School-scoped routes live under /api/v1/s/{school_slug}/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RecommendationKindEnum": "engine.models.StudentRecommendation.Kind",
        "DirectiveKindEnum": "engine.models.ItemDirective.Kind",
    },
    "REDOC_DIST": "SIDECAR",
    # Signed-in people only in production (plp.api.permissions.SchemaReaders); anyone in development.
    "SERVE_PERMISSIONS": ["plp.api.permissions.SchemaReaders"],
}

# Roster uploads: what one may unpack to (all its files together) and how many entries its zip may hold.
ROSTER_MAX_UNCOMPRESSED_BYTES = env_int("PLP_ROSTER_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
ROSTER_MAX_ZIP_ENTRIES = env_int("PLP_ROSTER_MAX_ZIP_ENTRIES", 1000)
# How long reading an upload (a roster, a framework file) may take (plp/time_budget.py): in a request, and in
# the background check of a large roster (below its task's 600 s soft limit, so the run says why it stopped).
UPLOAD_PARSE_SECONDS = float(env_str("PLP_UPLOAD_PARSE_SECONDS", "15"))
UPLOAD_PARSE_BACKGROUND_SECONDS = float(env_str("PLP_UPLOAD_PARSE_BACKGROUND_SECONDS", "300"))

# Outbound HTTP to addresses school admins type (an LRS, an identity provider, an LMS): refused to internal
# addresses (loopback, private, link-local...) in production, against SSRF (plp/outbound.py). Outside
# production a developer's LRS or IdP may run on this machine; the tests' do.
ALLOW_PRIVATE_OUTBOUND = env_bool("PLP_ALLOW_PRIVATE_OUTBOUND", default=not PRODUCTION)

# Mail (invitations, password resets): SMTP when EMAIL_HOST is set; the console only outside production, where
# an invitation link (valid for days) written to the server log would be a leak and a mail never sent.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds: a stuck mail server must not hold a worker
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
_PLACEHOLDER_FROM_EMAIL = "PLP <no-reply@plp.invalid>"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "") or _PLACEHOLDER_FROM_EMAIL
if PRODUCTION:
    _backend = EMAIL_BACKEND.rsplit(".", 2)[-2] if EMAIL_BACKEND.startswith("django.core.mail.") else ""
    if _backend in {"console", "locmem", "dummy", "filebased"}:
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND is {EMAIL_BACKEND}, which does not send mail: production needs a mail server. "
            "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) for SMTP, "
            "or EMAIL_BACKEND to a backend that delivers."
        )
    if _backend == "smtp" and not EMAIL_HOST:
        raise ImproperlyConfigured("EMAIL_HOST must be set in production: the SMTP server that sends mail.")
    if DEFAULT_FROM_EMAIL == _PLACEHOLDER_FROM_EMAIL:
        raise ImproperlyConfigured(
            "DEFAULT_FROM_EMAIL must be set in production, e.g. 'PLP <plp@your-district.org>'."
        )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"),
    },
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): our own origin only, and no inline script, style or eval anywhere.
# Templates load scripts and styles from static files; htmx is told (meta htmx-config in base.html) not to
# inject its indicator styles nor evaluate code; the API docs load Swagger UI's script from a URL.
# img-src allows data: for Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Browser features no page of ours uses, refused for the page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP from inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
