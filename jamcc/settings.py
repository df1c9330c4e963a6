"""One settings module, read from the environment.

With nothing set, the project runs the *embedded default*: SQLite, the local Amazon Connect
stand-in and demo data. In production (DEBUG off) every required value must be set, and a
missing one fails at start with the names of all that are missing.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

# Names production must set explicitly: development defaults would be wrong or unsafe there.
PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CONNECT_INSTANCE_ID",
    "CONNECT_WEB_INGRESS_FLOW_ID",
    "AWS_REGION",
)
if not DEBUG:
    _missing = [name for name in PRODUCTION_REQUIRED if not env.str(name, default="")]
    if env.str("CONNECT_BACKEND", default="aws") != "aws":
        _missing.append("CONNECT_BACKEND (must be 'aws' in production)")
    if _missing:
        raise ImproperlyConfigured("Missing required settings: " + ", ".join(_missing))

SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-embedded-default-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bulma",
    "django_htmx",
    "simple_history",
    "import_export",
    "phonenumber_field",
    "support",
    "connectlocal",
    "prompts",
    "customers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "jamcc.urls"
WSGI_APPLICATION = "jamcc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "support.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the site, the benchmark and runserver's threads share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

# The hours cache must be shared across processes (Connect allows ~2 requests a second per
# account), so the default is the database cache, not per-process memory.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://jamcc_cache")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The sign-in URL is a setting so the production Cognito (OIDC) sign-in can replace it.
LOGIN_URL = env.str("LOGIN_URL", default="login")
LOGIN_REDIRECT_URL = "support:live"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# --- Amazon Connect -------------------------------------------------------------------------
# "local" is the embedded stand-in (contacts and hours in this database); "aws" is boto3.
CONNECT_BACKEND = env.str("CONNECT_BACKEND", default="local" if DEBUG else "aws")
if CONNECT_BACKEND not in ("local", "aws"):
    raise ImproperlyConfigured("CONNECT_BACKEND must be 'local' or 'aws'")
AWS_REGION = env.str("AWS_REGION", default="us-east-1")
CONNECT_INSTANCE_ID = env.str("CONNECT_INSTANCE_ID", default="00000000-0000-4000-8000-00000000c0c0")
CONNECT_WEB_INGRESS_FLOW_ID = env.str(
    "CONNECT_WEB_INGRESS_FLOW_ID", default="00000000-0000-4000-8000-0000000f10a0"
)
# The caller id Connect shows; empty lets the queue's outbound caller id apply.
CONNECT_SOURCE_PHONE_NUMBER = env.str("CONNECT_SOURCE_PHONE_NUMBER", default="")
CONNECT_CONNECT_TIMEOUT = env.float("CONNECT_CONNECT_TIMEOUT", default=2.0)
CONNECT_READ_TIMEOUT = env.float("CONNECT_READ_TIMEOUT", default=4.0)
CONNECT_MAX_ATTEMPTS = env.int("CONNECT_MAX_ATTEMPTS", default=3)
# How long fresh hours are reused before Connect is asked again, and how old "last good"
# hours may be and still be shown when Connect fails.
CONNECT_HOURS_TTL = env.int("CONNECT_HOURS_TTL", default=60)
CONNECT_HOURS_STALE_MAX = env.int("CONNECT_HOURS_STALE_MAX", default=7 * 24 * 3600)
# How long a reader waits for another process already asking Connect for the same hours.
CONNECT_HOURS_LOCK_WAIT = env.float("CONNECT_HOURS_LOCK_WAIT", default=2.0)
CONNECT_CONTACT_STATUS_TTL = env.int("CONNECT_CONTACT_STATUS_TTL", default=3)
# A double submit inside this window reuses one ClientToken, so Connect places one call.
CALL_IDEMPOTENCY_WINDOW = env.int("CALL_IDEMPOTENCY_WINDOW", default=60)

# --- Click-to-call guards -------------------------------------------------------------------
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="US")
PHONE_ALLOWED_REGIONS = env.list(
    "PHONE_ALLOWED_REGIONS", default=["US", "CA", "MX", "GB", "IE", "ES", "FR", "DE"]
)
CALL_LIMIT_PER_USER = env.int("CALL_LIMIT_PER_USER", default=3)
CALL_LIMIT_PER_USER_WINDOW = env.int("CALL_LIMIT_PER_USER_WINDOW", default=10 * 60)
CALL_LIMIT_PER_NUMBER = env.int("CALL_LIMIT_PER_NUMBER", default=3)
CALL_LIMIT_PER_NUMBER_WINDOW = env.int("CALL_LIMIT_PER_NUMBER_WINDOW", default=60 * 60)
CALL_LIMIT_GLOBAL_PER_MINUTE = env.int("CALL_LIMIT_GLOBAL_PER_MINUTE", default=30)

# Shown when the site cannot place a call: the number to dial instead.
SUPPORT_PHONE_NUMBER = env.str("SUPPORT_PHONE_NUMBER", default="+1 202 555 0199")

# Demo sign-ins exist only in the embedded default.
DEMO_DATA = env.bool("DEMO_DATA", default=DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The local Connect stand-in (embedded default) ----------------------------------------
# Country calling codes the stand-in instance may dial, like an instance's outbound allow-list.
CONNECT_LOCAL_CALLING_CODES = env.list(
    "CONNECT_LOCAL_CALLING_CODES", default=["1", "44", "353", "34", "33", "49", "52"]
)
# Requests a second the stand-in answers before throttling (0 turns throttling off), and burst.
CONNECT_LOCAL_RATE = env.float("CONNECT_LOCAL_RATE", default=2.0)
CONNECT_LOCAL_BURST = env.int("CONNECT_LOCAL_BURST", default=10)

# --- IVR data in DynamoDB -------------------------------------------------------------------
# The seed's table names, so an existing deployment keeps working and can be imported.
PROMPT_TABLE_NAME = env.str("PROMPT_TABLE_NAME", default="jam-cc-prompts")
CUSTOMER_DATA_TABLE_NAME = env.str("CUSTOMER_DATA_TABLE_NAME", default="jam-cc-customer-data")
# The embedded default talks to a local DynamoDB-compatible server (moto's server mode);
# in production the endpoint is AWS's own (leave it unset).
LOCAL_DYNAMODB_PORT = env.int("LOCAL_DYNAMODB_PORT", default=8001)
DYNAMODB_ENDPOINT_URL = env.str(
    "DYNAMODB_ENDPOINT_URL", default=f"http://127.0.0.1:{LOCAL_DYNAMODB_PORT}" if DEBUG else ""
)
DYNAMODB_CONNECT_TIMEOUT = env.float("DYNAMODB_CONNECT_TIMEOUT", default=2.0)
DYNAMODB_READ_TIMEOUT = env.float("DYNAMODB_READ_TIMEOUT", default=5.0)
DYNAMODB_MAX_ATTEMPTS = env.int("DYNAMODB_MAX_ATTEMPTS", default=3)
# Languages a prompt is written in; the first is required, the others expected.
PROMPT_LANGUAGES = env.list("PROMPT_LANGUAGES", default=["en-US", "es-US"])
PHONENUMBER_DEFAULT_REGION = PHONE_DEFAULT_REGION
PHONENUMBER_DB_FORMAT = "E164"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
