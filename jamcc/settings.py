"""One settings module, read from the environment.

With nothing set, the project runs the *embedded default*: SQLite, the local Amazon Connect
stand-in and demo data. In production (DEBUG off) every required value must be set, and a
missing one fails at start with the names of all that are missing.
"""

import re
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jamcc.configuration import SettingsSourceError, environment_load

BASE_DIR = Path(__file__).resolve().parent.parent

# Production's settings and secrets live in SSM Parameter Store under SETTINGS_PARAMETER_PATH
# (or, off Lambda, in SETTINGS_ENV_FILE); they join the environment before anything is read.
try:
    SETTINGS_FROM_SOURCE = environment_load()
except SettingsSourceError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

# "local" is Django's own username/password form (embedded default); "oidc" is Amazon Cognito
# through mozilla-django-oidc, the only sign-in production accepts.
AUTH_MODE = env.str("AUTH_MODE", default="local" if DEBUG else "oidc")
if AUTH_MODE not in ("local", "oidc"):
    raise ImproperlyConfigured("AUTH_MODE must be 'local' or 'oidc'")

# Names production must set explicitly: development defaults would be wrong or unsafe there.
PRODUCTION_REQUIRED: tuple[str, ...] = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CONNECT_INSTANCE_ID",
    "AWS_REGION",
    "STATIC_BUCKET",
    "STATIC_CUSTOM_DOMAIN",
    "MEDIA_BUCKET",
    # The fallback number customers are told to dial; the default is a fictional 555 number.
    "SUPPORT_PHONE_NUMBER",
)
if AUTH_MODE == "oidc":
    PRODUCTION_REQUIRED += (
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "COGNITO_DOMAIN",
        "COGNITO_USER_POOL_ID",
    )
if not DEBUG:
    _missing = [name for name in PRODUCTION_REQUIRED if not env.str(name, default="")]
    if env.str("CONNECT_BACKEND", default="aws") != "aws":
        _missing.append("CONNECT_BACKEND (must be 'aws' in production)")
    if AUTH_MODE != "oidc":
        _missing.append("AUTH_MODE (must be 'oidc' in production)")
    # SQLite on Lambda would be a private, throw-away file per instance.
    if env.str("DATABASE_URL", default="").split(":", 1)[0] not in ("", "postgres", "postgresql"):
        _missing.append("DATABASE_URL (must be postgres:// in production)")
    if _missing:
        raise ImproperlyConfigured("Missing required settings: " + ", ".join(_missing))

SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-embedded-default-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "mozilla_django_oidc",
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
    "jamcc",
    "outbox",
    "support",
    "prompts",
    "customers",
    "instance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
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
    # An htmx fragment sent to the sign-in page would swap that page into the panel.
    "jamcc.oidc.HtmxLoginRedirectMiddleware",
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
                # The nonce django-htmx's {% htmx_script %} puts on its script tag.
                "jamcc.context_processors.csp_nonce",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A frozen Lambda cannot close its connection, so none is kept between requests by default;
# the health check catches a connection that died while the instance was frozen if it is raised.
# With the RDS-managed secret, user and password come from Secrets Manager (and survive its
# rotation); DATABASE_URL then names only host, port, database and options.
DATABASE_SECRET_ARN = env.str("DATABASE_SECRET_ARN", default="")
if DATABASE_SECRET_ARN:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_SECRET_ARN needs a postgres:// DATABASE_URL")
    DATABASES["default"]["ENGINE"] = "jamcc.postgres"
    DATABASES["default"]["CREDENTIALS_SECRET"] = DATABASE_SECRET_ARN
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the site, the benchmark and runserver's threads share the file;
    # IMMEDIATE transactions take the write lock when they begin, so two writers queue on the
    # busy timeout instead of one failing at once with "database is locked" when its read
    # turns into a write (https://docs.djangoproject.com/en/5.2/ref/databases/#database-is-locked-errors).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Tests use a file too, not SQLite's shared in-memory database, whose table locks refuse
    # a second writer at once: concurrency tests then see the locking the site has.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(BASE_DIR / "db.sqlite3-test")
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

# --- Sign-in with Amazon Cognito (OIDC) -----------------------------------------------------
# Endpoints derive from the hosted domain and the pool; each OIDC_OP_* may be set instead
# (the tests point them at a provider on loopback).
COGNITO_DOMAIN = env.str("COGNITO_DOMAIN", default="").rstrip("/")
COGNITO_USER_POOL_ID = env.str("COGNITO_USER_POOL_ID", default="")
COGNITO_REGION = env.str("COGNITO_REGION", default=env.str("AWS_REGION", default="us-east-1"))
_COGNITO_ISSUER = (
    f"https://cognito-idp.{COGNITO_REGION}.amazonaws.com/{COGNITO_USER_POOL_ID}"
    if COGNITO_USER_POOL_ID
    else ""
)
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str(
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    default=COGNITO_DOMAIN and f"{COGNITO_DOMAIN}/oauth2/authorize",
)
OIDC_OP_TOKEN_ENDPOINT = env.str(
    "OIDC_OP_TOKEN_ENDPOINT", default=COGNITO_DOMAIN and f"{COGNITO_DOMAIN}/oauth2/token"
)
OIDC_OP_USER_ENDPOINT = env.str(
    "OIDC_OP_USER_ENDPOINT", default=COGNITO_DOMAIN and f"{COGNITO_DOMAIN}/oauth2/userInfo"
)
OIDC_OP_JWKS_ENDPOINT = env.str(
    "OIDC_OP_JWKS_ENDPOINT",
    default=_COGNITO_ISSUER and f"{_COGNITO_ISSUER}/.well-known/jwks.json",
)
# The ID token's `iss` must equal this when set (mozilla-django-oidc checks neither iss nor aud).
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default=_COGNITO_ISSUER)
# Cognito's hosted sign-out; it returns to LOGOUT_REDIRECT_URL (listed in the app client).
OIDC_OP_LOGOUT_ENDPOINT = env.str(
    "OIDC_OP_LOGOUT_ENDPOINT", default=COGNITO_DOMAIN and f"{COGNITO_DOMAIN}/logout"
)
OIDC_OP_LOGOUT_URL_METHOD = "jamcc.oidc.provider_logout_url"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email phone profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
# Cognito's app client has a secret and expects it in the Authorization header.
OIDC_TOKEN_USE_BASIC_AUTH = True
OIDC_STORE_ID_TOKEN = False
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env.int("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS", default=15 * 60)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5.0)
# The health check and static files must answer without a session refresh round trip.
OIDC_EXEMPT_URLS = ["healthz", re.compile(r"^/static/")]
# A monitor sending "Authorization: Bearer <this>" to /healthz sees its details (database,
# Connect client, pending DynamoDB sync); anyone else only up or down. Empty: staff only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")
# A failed sign-in lands on the home page, which offers "Sign in" again (a path: this one
# setting is not resolved as a URL name).
LOGIN_REDIRECT_URL_FAILURE = "/"
# Cognito group names cannot contain spaces, so they map onto the Django groups by name.
OIDC_STAFF_GROUP = env.str("OIDC_STAFF_GROUP", default="staff")
OIDC_GROUP_MAP = env.json(
    "OIDC_GROUP_MAP",
    default={
        "prompt-editors": "Prompt editors",
        "customer-data-editors": "Customer data editors",
    },
)
if AUTH_MODE == "oidc":
    AUTHENTICATION_BACKENDS = ["jamcc.oidc.CognitoBackend"]
    LOGIN_URL = "oidc_authentication_init"
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "jamcc.oidc.HtmxSessionRefresh",
    )

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_BUCKET = env.str("STATIC_BUCKET", default="")
STATIC_CUSTOM_DOMAIN = env.str("STATIC_CUSTOM_DOMAIN", default="")
MEDIA_BUCKET = env.str("MEDIA_BUCKET", default="")
if DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": env.str(
                "STATICFILES_BACKEND",
                default="whitenoise.storage.CompressedManifestStaticFilesStorage",
            )
        },
    }
else:
    # Lambda has no lasting disk: static files live in S3 behind CloudFront (hashed names, so
    # they can be cached for ever), uploads in a private bucket reached by presigned URLs.
    STATIC_URL = f"https://{STATIC_CUSTOM_DOMAIN}/"
    # Presigned URLs must be signed for the bucket's own region.
    _BUCKET_REGION = env.str("BUCKET_REGION", default=env.str("AWS_REGION"))
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": MEDIA_BUCKET,
                "region_name": _BUCKET_REGION,
                "querystring_auth": True,
                "querystring_expire": env.int("MEDIA_URL_EXPIRE", default=300),
                "file_overwrite": False,
                "default_acl": None,
            },
        },
        "staticfiles": {
            "BACKEND": "storages.backends.s3.S3ManifestStaticStorage",
            "OPTIONS": {
                "bucket_name": STATIC_BUCKET,
                "region_name": _BUCKET_REGION,
                "custom_domain": STATIC_CUSTOM_DOMAIN,
                "querystring_auth": False,
                "default_acl": None,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    # The import preview and its confirmation may run on different Lambda instances, so the
    # uploaded file waits in the (private) media bucket rather than in one instance's /tmp.
    IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
    # Static files come from CloudFront, so WhiteNoise has nothing to serve.
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

# --- HTTPS ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # API Gateway ends TLS and says so in this header; trusted only behind it, never locally.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Content Security Policy ----------------------------------------------------------------
# Scripts only from the site (or its static domain) and the nonce'd htmx tag. Two hashes
# cover what third-party code injects: htmx's indicator <style> and import-export's
# "Select all" handler on the export page (an inline attribute, hence 'unsafe-hashes').
_STATIC_ORIGINS = [f"https://{STATIC_CUSTOM_DOMAIN}"] if not DEBUG else []
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [
            SELF,
            NONCE,
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
            *_STATIC_ORIGINS,
        ],
        "style-src": [
            SELF,
            "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='",
            *_STATIC_ORIGINS,
        ],
        # A few admin and import-export templates use style="" attributes.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", *_STATIC_ORIGINS],
        "font-src": [SELF, "data:", *_STATIC_ORIGINS],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Enforced in the embedded default too, so a page that breaks it fails in development and in
# the browser tests (django-csp leaves DEBUG's own 404/500 pages alone). CSP_REPORT_ONLY
# softens it while a fix ships.
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# --- Amazon Connect -------------------------------------------------------------------------
# "local" is the embedded stand-in (contacts and hours in this database); "aws" is boto3.
CONNECT_BACKEND = env.str("CONNECT_BACKEND", default="local" if DEBUG else "aws")
if CONNECT_BACKEND not in ("local", "aws"):
    raise ImproperlyConfigured("CONNECT_BACKEND must be 'local' or 'aws'")
# The function that makes the boto3 Connect client for each backend (given its botocore
# Config), as Django picks EMAIL_BACKEND: the stand-in plugs in here and is installed, with
# its tables and demo hours, only when it is used.
CONNECT_CLIENTS = {
    "aws": "support.connect_api.aws_client",
    "local": "connectlocal.service.connect_client",
}
# Where the status page reads what the stand-in's call simulation said (embedded default).
CONNECT_LOCAL_SIMULATION = "connectlocal.service.contact_simulation"
if CONNECT_BACKEND == "local":
    # Right after support: jamcc.demo runs the apps' demo loaders in this order, and the
    # stand-in's hours follow the catalog.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("support") + 1, "connectlocal")
AWS_REGION = env.str("AWS_REGION", default="us-east-1")
CONNECT_INSTANCE_ID = env.str("CONNECT_INSTANCE_ID", default="00000000-0000-4000-8000-00000000c0c0")
# Not required: the flow exists only after the first connect_publish, which needs the site's
# database migrated and its content loaded. Until it is set, the site runs and click-to-call
# tells customers to dial SUPPORT_PHONE_NUMBER instead.
CONNECT_WEB_INGRESS_FLOW_ID = env.str(
    "CONNECT_WEB_INGRESS_FLOW_ID", default="00000000-0000-4000-8000-0000000f10a0" if DEBUG else ""
)
# The caller id Connect shows; empty lets the queue's outbound caller id apply.
CONNECT_SOURCE_PHONE_NUMBER = env.str("CONNECT_SOURCE_PHONE_NUMBER", default="")
# For `connect_publish`: the Lambda ARNs the flows' ${lambda:NAME} placeholders resolve to
# (CONNECT_LAMBDA_<NAME>_ARN), and the caller id new queues get (optional).
CONNECT_LAMBDA_GET_PROMPTS_ARN = env.str("CONNECT_LAMBDA_GET_PROMPTS_ARN", default="")
CONNECT_LAMBDA_LOOKUP_CUSTOMER_ARN = env.str("CONNECT_LAMBDA_LOOKUP_CUSTOMER_ARN", default="")
CONNECT_OUTBOUND_CALLER_ID_NUMBER_ID = env.str("CONNECT_OUTBOUND_CALLER_ID_NUMBER_ID", default="")
CONNECT_OUTBOUND_CALLER_ID_NAME = env.str("CONNECT_OUTBOUND_CALLER_ID_NAME", default="")
# Short, so one slow Connect answer cannot hold a page past a few seconds (API Gateway gives
# up at 29 s; a customer much sooner).
CONNECT_CONNECT_TIMEOUT = env.float("CONNECT_CONNECT_TIMEOUT", default=1.0)
CONNECT_READ_TIMEOUT = env.float("CONNECT_READ_TIMEOUT", default=2.0)
# Tries of one Connect request when it is rate limited (never for a full call quota).
CONNECT_MAX_ATTEMPTS = env.int("CONNECT_MAX_ATTEMPTS", default=3)
# Seconds one page or call request may spend retrying Connect: no retry starts after it.
CONNECT_REQUEST_BUDGET = env.float("CONNECT_REQUEST_BUDGET", default=2.0)
# Hours ids a page asks Connect for at once. The stand-in answers from this database inside the
# request's own transaction, so it is asked one id after another.
CONNECT_HOURS_FETCH_THREADS = env.int(
    "CONNECT_HOURS_FETCH_THREADS", default=1 if CONNECT_BACKEND == "local" else 5
)
# After Connect fails for an hours id, nobody asks again for this long, doubling with each
# failure in a row up to the maximum; meanwhile pages show the last good hours.
CONNECT_HOURS_RETRY_AFTER = env.int("CONNECT_HOURS_RETRY_AFTER", default=10)
CONNECT_HOURS_RETRY_AFTER_MAX = env.int("CONNECT_HOURS_RETRY_AFTER_MAX", default=5 * 60)
# How long fresh hours are reused before Connect is asked again, and how old "last good"
# hours may be and still be shown when Connect fails.
CONNECT_HOURS_TTL = env.int("CONNECT_HOURS_TTL", default=60)
CONNECT_HOURS_STALE_MAX = env.int("CONNECT_HOURS_STALE_MAX", default=7 * 24 * 3600)
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

# CloudWatch keeps one event per line, so production logs one JSON object per record.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'text' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "jamcc.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
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
# The push a web request makes after its commit: what misses this budget stays pending for
# the scheduled retry, so a hung DynamoDB costs a save about two seconds, not fifteen.
DYNAMODB_REQUEST_CONNECT_TIMEOUT = env.float("DYNAMODB_REQUEST_CONNECT_TIMEOUT", default=1.0)
DYNAMODB_REQUEST_READ_TIMEOUT = env.float("DYNAMODB_REQUEST_READ_TIMEOUT", default=1.0)
DYNAMODB_REQUEST_MAX_ATTEMPTS = env.int("DYNAMODB_REQUEST_MAX_ATTEMPTS", default=2)
# Languages a prompt is written in; the first is required, the others expected.
PROMPT_LANGUAGES = env.list("PROMPT_LANGUAGES", default=["en-US", "es-US"])
PHONENUMBER_DEFAULT_REGION = PHONE_DEFAULT_REGION
PHONENUMBER_DB_FORMAT = "E164"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Unset, django-import-export lets any staff member export and import every model; export
# needs the model's view permission, import at least change (CustomerAdmin also asks for add).
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
# A cell starting with "=" opens as a formula in a spreadsheet; the customer resource also
# neutralises "+", "-" and "@", which this setting (4.x) leaves alone.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
