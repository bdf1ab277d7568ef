"""Settings for Safer, all read from the environment.

Every variable is listed with a one-line comment in `.env.example`. Bad values fail loudly at
start-up rather than half-working: a typo in DEBUG must not switch debug pages on in production.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets admin and generic classes be subscripted for type checking (ModelAdmin[Organisation]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE names {path!r}, which cannot be read: {exc}"
            ) from None
    return None


VAR_DIR = Path(os.environ.get("SAFER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", "false")
# Demo accounts and demo data: only ever in a local demo, never under production settings.
SAFER_DEMO = envbool("SAFER_DEMO", "true" if DEBUG else "false")
# How many realistic incidents the local demo records (incidents/demo.py); tests use fewer.
SAFER_DEMO_INCIDENTS = envint("SAFER_DEMO_INCIDENTS", "420")


def _local_secret_key() -> str:
    """A key of this installation's own, kept in var/, so a laptop needs no configuration.

    Production sets SECRET_KEY (or SECRET_KEY_FILE): every web process must share one key.
    """
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = envsecret("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "safer.core",
    "safer.accounts",
    "safer.partnership",
    "safer.strategy",
    # Issue 4: personal data, sign-in security.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "safer.incidents",
    "safer.crimedata",
    "django_tasks",
    "django_tasks_db",
    "safer.reports",
    "safer.safeguarding",
    # Issue 5: the REST API and its OpenAPI schema; the docs page's assets come from the sidecar.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Issue 4: idle timeout, second factor, Content-Security-Policy, lockout (axes last).
    "safer.accounts.middleware.IdleTimeoutMiddleware",
    "safer.accounts.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safer.accounts.middleware.RequireTwoFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safer.urls"
WSGI_APPLICATION = "safer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safer.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safer.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "SAFER_PG_JIT_OFF", "1"
):
    # PostgreSQL's JIT compiles any query its planner costs high, which at a million incidents
    # added half a second to a page whose rows take milliseconds (docs/decisions.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "strategy:agreement"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the files that ship in the package straight from it, so an installed Safer needs no
# collectstatic step; `safer collectstatic` still works for a CDN or a reverse proxy.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Security. Production runs behind HTTPS; a load balancer that terminates TLS sets
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "false" if DEBUG else "true")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 60 * 60))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false" if DEBUG else "true")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "safer@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The partnership this installation serves: its agreement is shown on the public landing page.
SAFER_AGREEMENT_SLUG = os.environ.get("SAFER_AGREEMENT_SLUG", "safer-lancashire-2011-2014")

# Issue 4: sign-in security. Argon2id first (OWASP's recommendation); older hashes still
# verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is locked out for SAFER_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("SAFER_LOCKOUT_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Sessions end after this long without a request (and after SESSION_COOKIE_AGE regardless).
SAFER_IDLE_TIMEOUT = envint("SAFER_IDLE_TIMEOUT", str(30 * 60))
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Safer")
# django-csp: nothing inline, nothing from elsewhere (templates carry no inline script or style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Unusual access (DPO alerts): documented in docs/access.md.
SAFER_UNUSUAL_ACCESS_WINDOW_HOURS = envint("SAFER_UNUSUAL_ACCESS_WINDOW_HOURS", "24")
SAFER_UNUSUAL_ACCESS_MULTIPLE = envint("SAFER_UNUSUAL_ACCESS_MULTIPLE", "3")
SAFER_UNUSUAL_ACCESS_MINIMUM = envint("SAFER_UNUSUAL_ACCESS_MINIMUM", "30")
# Retention of records about people, in years (documented in incidents/retention.py).
SAFER_RETENTION_YEARS = envint("SAFER_RETENTION_YEARS", "6")
# Incident extracts (safer import-incidents, /incidents/import/): a bigger file is refused.
SAFER_INCIDENT_IMPORT_MAX_BYTES = envint("SAFER_INCIDENT_IMPORT_MAX_BYTES", str(50 << 20))
SAFER_UNUSUAL_ACCESS_UNLINKED = envint("SAFER_UNUSUAL_ACCESS_UNLINKED", "10")
# Crime data (police.uk imports): a zip whose files would inflate beyond this many bytes, or any
# of whose files inflates more than this many times, is refused as a possible zip bomb.
CRIMEDATA_MAX_UNCOMPRESSED_BYTES = envint("CRIMEDATA_MAX_UNCOMPRESSED_BYTES", str(8 << 30))
CRIMEDATA_MAX_ZIP_RATIO = envint("CRIMEDATA_MAX_ZIP_RATIO", "100")
# The largest file the import page accepts; it is kept until a background task has imported it.
CRIMEDATA_UPLOAD_MAX_BYTES = envint("CRIMEDATA_UPLOAD_MAX_BYTES", str(1 << 30))
# Board packs and the public report (issue 8). Packs are built by a background task: production
# uses the database backend and runs `safer db_worker`; the local demo (DEBUG) builds them at once
# in the web process unless SAFER_TASKS_BACKEND=database.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("SAFER_TASKS_BACKEND", "immediate" if DEBUG else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"SAFER_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}; got {_task_backend!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}
if _task_backend == "immediate":
    # Run in the web process (the demo), each task's start and end is noise, not a worker's log:
    # `make run` printed 790 such lines before the demo's sign-in details.
    LOGGING["loggers"] = {"django_tasks": {"level": "WARNING"}}

# Issue 5: the recording standard's repeat and vulnerable victim rules (incidents/repeats.py).
# Each rule: the flag it sets, the incident categories it counts, how many within how many days.
# Issue 6: the recommended MARAC repeat-rate band (percent, like "28-40") the conference
# figures compare against; unset, no band is shown (safeguarding/figures.py).
SAFER_MARAC_REPEAT_BAND = os.environ.get("SAFER_MARAC_REPEAT_BAND", "").strip()
if SAFER_MARAC_REPEAT_BAND and not re.fullmatch(
    r"\d+(\.\d+)?-\d+(\.\d+)?", SAFER_MARAC_REPEAT_BAND
):
    raise ImproperlyConfigured(
        f"SAFER_MARAC_REPEAT_BAND is written like 28-40 (percent); got {SAFER_MARAC_REPEAT_BAND!r}"
    )

SAFER_REPEAT_RULES = [
    {"flag": "repeat_asb", "categories": ["asb"], "count": 3, "days": 365},
    {"flag": "repeat_domestic_abuse", "categories": ["domestic_abuse"], "count": 2, "days": 365},
    {"flag": "repeat_hate", "categories": ["hate_crime", "hate_incident"], "count": 2, "days": 365},
]

# Issue 5: the REST API (`/api/v1/`, docs/decisions.md). JSON only: DRF's browsable pages carry
# inline script the Content-Security-Policy refuses. A token acts as its organisation's service
# user (accounts.ApiToken); a signed-in session is accepted after its second factor.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safer.accounts.api_auth.OrganisationTokenAuthentication",
        "safer.accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "safer.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safer API",
    "DESCRIPTION": (
        "Create, change and read incidents under the partnership's recording standard "
        "(docs/recording-standard.md), through the same access layer and audit log as the "
        "pages. Authenticate with your organisation's API token: `Authorization: Bearer ...`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IncidentCategoryEnum": "safer.incidents.enums.IncidentCategory",
        "AbuseTypeEnum": "safer.incidents.enums.AbuseType",
        "HateStrandEnum": "safer.incidents.enums.HateStrand",
        "InvolvementRoleEnum": "safer.incidents.enums.InvolvementRole",
        "FlagEnum": "safer.incidents.enums.Flag",
    },
}
# Issue 5: matching the same person across agencies (incidents/matching.py, Splink). A pair at or
# above the threshold probability is suggested for review; on_record looks for matches when a
# person is recorded; model_file is a Splink model trained by `safer match-people --train FILE`
# (empty: the fixed priors in matching.py).
_match_threshold = os.environ.get("SAFER_MATCH_THRESHOLD", "0.9")
try:
    _match_threshold_value = float(_match_threshold)
except ValueError:
    _match_threshold_value = -1.0
if not 0 < _match_threshold_value <= 1:
    raise ImproperlyConfigured(
        f"SAFER_MATCH_THRESHOLD must be a probability above 0, at most 1; got {_match_threshold!r}"
    )
SAFER_MATCHING = {
    "threshold": _match_threshold_value,
    "on_record": envbool("SAFER_MATCH_ON_RECORD", "true"),
    "model_file": os.environ.get("SAFER_MATCH_MODEL", ""),
}
