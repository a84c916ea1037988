"""Django settings for Hagukumi.

Every setting that differs between machines comes from the environment
(see docs/configuration.md and .env.example); nothing is hidden in a
production-only file.
"""

from pathlib import Path

import environ
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-hagukumi-development-only"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY が設定されていません。環境変数 SECRET_KEY を設定するか、"
        "開発時のみ DEBUG=true にしてください。"
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

HAGUKUMI_DATA_DIR = Path(env.str("HAGUKUMI_DATA_DIR", default=str(BASE_DIR / "var")))
HAGUKUMI_SEEDS_DIR = Path(env.str("HAGUKUMI_SEEDS_DIR", default=str(BASE_DIR / "data" / "seeds")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "hagukumi.core",
    "hagukumi.orgs",
    "hagukumi.cases",
    "hagukumi.frameworks",
    "hagukumi.people",
    "hagukumi.training",
    "hagukumi.accounts",
    "hagukumi.assessments",
    "hagukumi.plans",
    "hagukumi.support",
    "hagukumi.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers gzipped (static files come compressed from WhiteNoise, above).
    # BREACH: Django masks the CSRF token per response and pads the gzip header.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hagukumi.core.middleware.AuditContextMiddleware",
    "hagukumi.core.middleware.PrivateResponseMiddleware",
    "hagukumi.core.middleware.IdleSessionTimeoutMiddleware",
    "hagukumi.core.middleware.TenantMiddleware",
    "hagukumi.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hagukumi.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "hagukumi.urls"
WSGI_APPLICATION = "hagukumi.wsgi.application"

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
                "hagukumi.core.context_processors.shell",
            ],
        },
    },
]

# An empty DATABASE_URL means the default, like an unset one.
DATABASES = {
    "default": environ.Env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{HAGUKUMI_DATA_DIR / 'hagukumi.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the init command runs per connection.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # Tests use an in-memory database unless TEST NAME is given.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout: 5 failures lock an account for 15 minutes (issue [基盤] §6).
HAGUKUMI_LOCKOUT_FAILURES = env.int("HAGUKUMI_LOCKOUT_FAILURES", default=5)
HAGUKUMI_LOCKOUT_MINUTES = env.int("HAGUKUMI_LOCKOUT_MINUTES", default=15)
# Idle sessions expire after 30 minutes.
HAGUKUMI_IDLE_TIMEOUT_SECONDS = env.int("HAGUKUMI_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# The cookie outlives the idle limit so that the idle logout is seen (and audited)
# by IdleSessionTimeoutMiddleware instead of the session silently vanishing.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Behind TLS in production; the development server and the browser tests run on http.
HAGUKUMI_HTTPS = env.bool("HAGUKUMI_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HAGUKUMI_HTTPS
CSRF_COOKIE_SECURE = HAGUKUMI_HTTPS
SECURE_HSTS_SECONDS = 31536000 if HAGUKUMI_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HAGUKUMI_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HAGUKUMI_BEHIND_PROXY = env.bool("HAGUKUMI_BEHIND_PROXY", default=False)
if HAGUKUMI_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HAGUKUMI_DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# With DEBUG off, `hagukumi collectstatic` writes hashed names (served with a far-future
# immutable Cache-Control) plus .br/.gz copies into STATIC_ROOT, and WhiteNoise serves
# them from there; pages fail (and /healthz/ says why) until it has run. Only hashed
# names are kept (every template links through {% static %}), and source maps are not
# compressed (they are large and only developer tools read them).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = HAGUKUMI_DATA_DIR / "media"

# Web uploads are capped at 20 MB (tabular_import enforces it with a Japanese message).
HAGUKUMI_UPLOAD_MAX_BYTES = env.int("HAGUKUMI_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The one full TrueType font embedded in 修了証 PDFs (its cmap must hold U+20BB7 𠮷;
# Debian's fonts-ipamj-mincho, installed by scripts/browser_deps.sh).
HAGUKUMI_CERTIFICATE_FONT = Path(
    env.str("HAGUKUMI_CERTIFICATE_FONT", default="/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
