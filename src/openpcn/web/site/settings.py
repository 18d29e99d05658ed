"""Django settings for OpenPCN.

Everything that differs between machines comes from the environment:

- ``OPENPCN_ENV``: ``development`` (default when run from a checkout), ``test`` or ``production``.
- ``OPENPCN_SECRET_KEY``: required in production; a missing one stops start-up with a clear error.
- ``DATABASE_URL``: PostgreSQL in production (``postgres://user@host:5432/db``); SQLite
  at ``var/openpcn.sqlite3`` when unset.
- ``OPENPCN_DATA``: the directory holding NHS open-data files (read by importers).
- ``OPENPCN_ALLOWED_HOSTS``: comma-separated host names (production).
- ``OPENPCN_LOCAL_HTTP=1``: production settings served over plain HTTP on 127.0.0.1
  (``make demo``); turns off the HTTPS-only cookie and redirect settings, nothing else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parents[2]  # src/openpcn
REPO_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("OPENPCN_VAR", REPO_DIR / "var"))

ENV = os.environ.get("OPENPCN_ENV") or ("test" if "pytest" in sys.modules else "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"OPENPCN_ENV is '{ENV}'; it must be one of development, test, production"
    )
PRODUCTION = ENV == "production"
LOCAL_HTTP = os.environ.get("OPENPCN_LOCAL_HTTP") == "1"

SECRET_KEY = os.environ.get("OPENPCN_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "OPENPCN_SECRET_KEY is not set. In production the secret key must come from the "
            'environment: generate one with `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"` and export OPENPCN_SECRET_KEY.'
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"  # noqa: S105

DEBUG = ENV == "development" and os.environ.get("OPENPCN_DEBUG", "1") == "1"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("OPENPCN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
if ENV == "test":
    ALLOWED_HOSTS.append("testserver")

POPULATION_DIR = Path(os.environ.get("OPENPCN_POPULATION_DIR", VAR_DIR / "population"))
OPENPCN_DATA = Path(os.environ.get("OPENPCN_DATA", REPO_DIR.parent / "shared" / "data" / "raw"))
os.environ.setdefault("OPENPCN_DATA", str(OPENPCN_DATA))  # the engines read it too

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # One Django app per domain, all under openpcn.data (the ORM); their labels are the
    # domains' names, so the migrations are the same as before the data/ web/ split.
    "openpcn.data.accounts",
    "openpcn.data.registry",
    "openpcn.data.workforce",
    "openpcn.data.services",
    "openpcn.data.finance",
    "openpcn.data.population",
    "openpcn.data.rota",
    "openpcn.data.rules",  # label rules_overlays: ICB overlay versions
    "openpcn.data.neighbourhoods",
    "openpcn.data.scenarios",
    "openpcn.data.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "openpcn.web.platform.middleware.SecurityHeadersMiddleware",
    "openpcn.web.platform.middleware.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openpcn.web.site.urls"
WSGI_APPLICATION = "openpcn.web.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [SRC_DIR / "web" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "openpcn.web.platform.jinja.environment", "autoescape": True},
    },
    {
        # Django's own templates: the admin site only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openpcn.sqlite3'}"),
        conn_max_age=60 if PRODUCTION else 0,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # One test database per test process, so that parallel runs cannot collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-openpcn-{os.getpid()}.sqlite3")}

AUTH_USER_MODEL = "web.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENV == "test":
    # Tests create many users; Argon2 stays first in production and development.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Login throttling and lockout (django-axes): 5 failures per username or IP locks for 15 min.
AXES_FAILURE_LIMIT = int(os.environ.get("OPENPCN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "openpcn.web.platform.auth.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

# Sessions: 8 working hours, ended when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "openpcn.web.platform.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION and not LOCAL_HTTP:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "static"  # built by `make assets`, shared by every database
STATICFILES_DIRS = [
    p for p in [SRC_DIR / "web" / "static", REPO_DIR / "build" / "static"] if p.exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

NINJA_PAGINATION_PER_PAGE = 100

# Logging: never patient data. Handlers write request paths and user names only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "openpcn": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
