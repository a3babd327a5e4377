"""Django settings of the hall, from the environment that hall.cli (or a WSGI host) sets.

    HALL_DATA_DIR       the data dir (hall.datadir): the secret key and the ID number key are generated there
    HALL_DATABASE_URL   postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME, or with ?host=/socket/dir for a unix
                        socket (the hall's own cluster)
    HALL_DEBUG          "1" for Django's debug pages (never in a hall)
    HALL_ALLOWED_HOSTS  comma-separated, default "*" (the hall sits on its own LAN or behind a proxy)

No CDN anywhere: the console's static files are served by the hall itself.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from hall import datadir
from hall.cases.sql import PREPARE_THRESHOLD

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = datadir.ensure(os.environ.get("HALL_DATA_DIR") or Path.cwd() / ".hall")

SECRET_KEY = datadir.secret_key(DATA_DIR)
#: Seals applicants' ID numbers in the database (hall.cases.idnumbers); DIR/id_key, made at first start.
HALL_ID_KEY = datadir.id_key(DATA_DIR)
DEBUG = os.environ.get("HALL_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HALL_ALLOWED_HOSTS", "*").split(",") if h.strip()]

#: The console (hall.console, its own helper's package) joins when it is there.
HAS_CONSOLE = importlib.util.find_spec("hall.console") is not None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "hall.cases",
    *(["hall.console"] if HAS_CONSOLE else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The console's CSS and JS, served by the hall itself (no CDN, no separate web server; hall.console).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The legal clocks' holiday calendar, current in this process for every console page (hall.cases.holidays).
    "hall.console.middleware.CalendarMiddleware",
]

ROOT_URLCONF = "hall.urls"
WSGI_APPLICATION = "hall.wsgi.application"

TEMPLATES = [
    {
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


def database_from_url(url: str) -> dict:
    """Django's DATABASES["default"] for a postgresql:// URL (a ?host= query names a unix socket dir)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"the hall runs on PostgreSQL: {parts.scheme}:// is not a PostgreSQL URL")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = query.pop("host", None) or (unquote(parts.hostname) if parts.hostname else "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "hall",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or query.pop("port", "") or ""),
        # One connection per worker thread, kept between requests (a kiosk posts every few seconds).
        "CONN_MAX_AGE": 300,
        # No "SELECT 1" before each request's first query (a round trip on every kiosk post): a connection
        # broken by a database restart fails that one request, Django drops it at the request's end, and the
        # kiosk posts the batch again (its outbox keeps it until the hall answers).
        "CONN_HEALTH_CHECKS": False,
        # Only the kiosk API's fixed statements are prepared (hall.cases.sql): a threshold nothing reaches.
        # Django's default (None) prepares nothing at all.
        "OPTIONS": {"prepare_threshold": PREPARE_THRESHOLD, **query},
    }


DATABASES = {"default": database_from_url(os.environ.get("HALL_DATABASE_URL", "postgresql:///hall"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff passwords: argon2 first (new and re-hashed passwords), the others only to read old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start without it (files come from the finders)
# WhiteNoise serves the apps' static files straight from their packages (no collectstatic step).
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Behind the TLS proxy (README "The hall back office"): the proxy says the request came over https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if os.environ.get("HALL_SECURE_COOKIES") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

#: The API's limits (PLAN.md wire contract): a batch over either is answered 413 and the kiosk halves it.
HALL_MAX_BATCH_BYTES = 8 * 1024 * 1024
HALL_MAX_BATCH_EVENTS = 500
# The API reads its body itself (413 above); the console's forms keep Django's default.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"hall": {"level": "INFO"}},
}
