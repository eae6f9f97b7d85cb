"""Settings shared by every environment. Values that differ between machines come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "daye_relief.apps.LockoutConfig",  # django-axes, with a Chinese name
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "daye_relief.apps.ProjectConfig",  # the beat schedules' data migration
    "accounts",
    "journal",
    "workdays",
    "households",
    "eligibility",
    "applications",
    "publicity",
    "monitoring",
    "charities",
    "evidence",
    "online",
    "desk",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified by a second factor (django-otp); ours sends those who need one to it, and a
    # staff member whose password is too old to change it (DESIGN §3.13).
    "django_otp.middleware.OTPMiddleware",
    # Collects what the request showed of a family and writes it once, after the response (DESIGN §3.13).
    "journal.middleware.JournalMiddleware",
    "daye_relief.middleware.NoStoreForPersonalData",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in rules on every page (accounts.middleware): a browser whose session a sign-in elsewhere ended
    # is told why; a role that needs two factors reaches nothing before them; an old password first.
    "accounts.middleware.SessionEndedNotice",
    "accounts.middleware.TwoFactor",
    "accounts.middleware.PasswordAge",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "daye_relief.urls"
WSGI_APPLICATION = "daye_relief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "journal.context_processors.journal_menu",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff passwords (DESIGN §3.13, 等保三级): at least 10 characters, three of four character classes, not
# the username, not one of the last 5; changed every PASSWORD_MAX_AGE_DAYS days; an account unused for
# ACCOUNT_UNUSED_DAYS days is disabled by the daily job.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator"},
    {"NAME": "accounts.passwords.HistoryValidator", "OPTIONS": {"count": 5}},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
ACCOUNT_UNUSED_DAYS = env.int("ACCOUNT_UNUSED_DAYS", default=90)
# Two-factor sign-in (accounts.twofactor) for the bureaus' reviewers, the administrator and department
# users whose department holds an API token. Only a laptop's `make run` may turn it off (dev settings).
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=True)
OTP_TOTP_ISSUER = "大冶市两项政策衔接并轨"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A session ends after 30 minutes without a request: every request renews the 30 minutes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Repeated failed logins lock the username from that client address for a while (django-axes): by the
# username alone, anyone could lock a clerk out; the address is the one rule of daye_relief.clients.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "daye_relief.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for what the installed packages ship untranslated (django-axes, a few admin strings).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our own zh_Hans input formats (Django's read 2026年10月5日 wrongly): daye_relief/formats.
FORMAT_MODULE_PATH = ["daye_relief.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "daye_relief.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "daye-relief API",
    "DESCRIPTION": "大冶市“两项政策”衔接并轨试点 — case management API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets that share a field name get their own names in the schema.
    "ENUM_NAME_OVERRIDES": {"DocumentKindEnum": "evidence.codes.DocumentKind"},
    # Swagger UI and Redoc are served from the app's own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "daye_relief.openapi.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Lockout is by account, as the pilot asks: a town office's clerks share one network address, so locking
# by address would lock the whole office out. axes warns about username-only lockout; that is the intent.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_VERBOSE = False

# The public self-check (page and API) is rate-limited per client with one rate and one counter
# (eligibility/throttling.py); the counters live in the cache. The client is REMOTE_ADDR unless the site
# sits behind reverse proxies: then set TRUSTED_PROXY_COUNT to their number, and the address the outermost
# of them saw (X-Forwarded-For, counted from the right) is the client. Default 0: X-Forwarded-For, which
# anyone can send, is ignored.
SELF_CHECK_RATE = env("SELF_CHECK_RATE", default="30/m")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"self_check": SELF_CHECK_RATE}
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# The progress query (DESIGN §3.12): this many wrong number-and-code pairs from one client, then it waits;
# the page and the API count in one counter, by the same client rule.
PROGRESS_WRONG_TRY_RATE = env("PROGRESS_WRONG_TRY_RATE", default="5/10m")

# The access journal (DESIGN §3.13). Its hash chain: "sha256", or "sm3" where the deployment's OpenSSL
# provides it (`python -c "import hashlib; print('sm3' in hashlib.algorithms_available)"`); a name this
# OpenSSL lacks stops the first write. A searched ID is kept as an HMAC keyed with JOURNAL_ID_KEY (by
# default derived from SECRET_KEY). Rows older than JOURNAL_RETENTION_DAYS are archived by a monthly job.
JOURNAL_HASH_ALGORITHM = env("JOURNAL_HASH_ALGORITHM", default="sha256")
# Off only for the benchmark's comparison (`make bench`: the same pages with the journal off); a
# deployment keeps it on.
JOURNAL_ENABLED = env.bool("JOURNAL_ENABLED", default=True)
JOURNAL_ID_KEY = env("JOURNAL_ID_KEY", default="")
JOURNAL_RETENTION_DAYS = env.int("JOURNAL_RETENTION_DAYS", default=180)
# The report of unusual reading: a user who viewed more households than this in one day.
JOURNAL_HOUSEHOLDS_PER_DAY = env.int("JOURNAL_HOUSEHOLDS_PER_DAY", default=200)

# Short messages to the family at acceptance, notice and decision (online/sms.py): the backend's class, or
# blank for none. A deployment with a gateway sets online.sms.HttpGatewayBackend, SMS_GATEWAY_URL and
# SMS_GATEWAY_TOKEN; `make run` prints them (online.sms.ConsoleBackend).
SMS_BACKEND = env("SMS_BACKEND", default="")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")

# Schedules (DESIGN §3.6): rows of django-celery-beat's tables, which beat's database scheduler reads and
# the administrator edits (定时任务 in the admin); seeded by daye_relief/migrations/0001_schedules.py.
# Deliberately no CELERY_BEAT_SCHEDULE here: the database is the one source of truth.

# List exports (their files hold full ID numbers) are deleted by a daily job this many days after they
# were made (desk.retention); the export page tells the user.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)

# Evidence files (DESIGN §3.11) have a storage of their own, outside static/ and MEDIA_ROOT and never under
# a URL: every download goes through a view that checks the reader's scope. A deployment may point it at
# an S3-compatible store through django-storages (README: "Evidence files").
EVIDENCE_ROOT = env("EVIDENCE_ROOT", default=str(BASE_DIR / "var" / "evidence"))
EVIDENCE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": EVIDENCE_ROOT},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}

# Uploaded shared-data files wait here for the worker (DESIGN §3.6).
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The monthly sync pulls HTTPS sources only; tests and a laptop may allow plain HTTP.
MONITORING_SYNC_ALLOW_HTTP = env.bool("MONITORING_SYNC_ALLOW_HTTP", default=False)

# The bulk re-evaluation's SQL pre-filter (eligibility.prefilter): on, the engine runs only on the
# households whose categories the statement is not sure of. Off by default: it gives the same proposals
# (its differential test), but its statement still takes 0.37 s a chunk of 2,000, more than the engine
# it spares (see the module), so a run is slower with it until its plan is mended.
REEVALUATION_PREFILTER = False
