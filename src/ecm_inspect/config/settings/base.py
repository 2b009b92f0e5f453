"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ  # type: ignore[import-untyped]
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# The checkout: src/ecm_inspect/config/settings/base.py -> four levels up.
PROJECT_DIR = PACKAGE_DIR.parents[1]

env = environ.Env()

VAR_DIR = Path(env.str("ECM_VAR_DIR", default=str(PROJECT_DIR / "var")))
NODE_MODULES_DIR = Path(env.str("ECM_NODE_MODULES", default=str(PROJECT_DIR / "node_modules")))
GOVUK_FRONTEND_DIR = NODE_MODULES_DIR / "govuk-frontend" / "dist" / "govuk"

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-not-for-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ecm_inspect.core",
    "ecm_inspect.accounts",
    "ecm_inspect.framework",
    "ecm_inspect.registry",
    "ecm_inspect.provision",
    "ecm_inspect.reviews",
    "ecm_inspect.programme",
    "ecm_inspect.performance",
    "ecm_inspect.evidence",
    "ecm_inspect.voices",
    "ecm_inspect.reports",
    "ecm_inspect.followup",
    "ecm_inspect.national",
    "ecm_inspect.quality",
    "ecm_inspect.web",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer load balancers before host validation and the HTTPS
    # redirect (core/health.py).
    "ecm_inspect.core.health.health_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # 400 for a NUL character in the address (PostgreSQL refuses it in text; core/inputs.py).
    "ecm_inspect.core.inputs.refuse_nul_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecm_inspect.config.urls"
WSGI_APPLICATION = "ecm_inspect.config.wsgi.application"

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
                "ecm_inspect.web.navigation.navigation",
            ],
        },
    },
]

# SQLite under var/ by default, so a fresh machine needs nothing else; PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ecm.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: write-ahead logging lets readers go on
    # while one writes, transactions take the write lock when they begin (no deadlock between
    # two that started reading), and a writer waits up to 20 s for another to finish.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

# The cache is where rate limits count (accounts/ratelimit.py), so every web process must share
# it: the database by default (the table ecm_cache, created by `ecm migrate`), Redis when
# REDIS_URL (or any CACHE_URL django-environ reads) is set. `clients` holds counts by client
# (a keyed hash of the address): never the database, so Redis when configured, else each
# process's memory.
_CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _CACHE_URL:
    _shared = env.cache_url_config(_CACHE_URL)
    if _shared["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        _shared["BACKEND"] = "ecm_inspect.accounts.cache.DatabaseCache"  # atomic incr
else:
    _shared = {"BACKEND": "ecm_inspect.accounts.cache.DatabaseCache", "LOCATION": "ecm_cache"}
if _shared["BACKEND"].endswith("DatabaseCache"):
    # Django culls a third of the table, in key order, past MAX_ENTRIES (300): it would drop
    # live counters. Expired rows are removed as they are read.
    _shared.setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)
_clients_in_memory = _shared["BACKEND"].endswith(("DatabaseCache", "FileBasedCache"))
CACHES = {
    "default": _shared,
    "clients": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clients"}
        if _clients_in_memory
        else {**_shared, "KEY_PREFIX": "clients"}
    ),
}
# With Redis, sessions are read from the shared cache (and written through to the database, so
# a restart of Redis signs nobody out) and django-axes counts failed sign-ins there; without it
# both stay in the database, which every process shares too (docs/deployment.md).
CACHE_IS_REDIS = _shared["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
if CACHE_IS_REDIS:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    AXES_CACHE = "default"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (core/tasks.py, docs/deployment.md): ECM_TASKS=database (the default: a table
# of queued tasks, run by `ecm db_worker`) or rq (Redis at REDIS_URL, run by `ecm rqworker`).
ECM_TASKS = env.str("ECM_TASKS", default="database")
if ECM_TASKS == "rq":
    INSTALLED_APPS.append("django_rq")
    # A plan may run for many minutes: RQ's default of 180 s would stop it part way.
    RQ_QUEUES = {
        "default": {
            "URL": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0"),
            "DEFAULT_TIMEOUT": env.int("ECM_TASK_TIMEOUT_SECONDS", default=3600),
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif ECM_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(f"ECM_TASKS must be database or rq, not {ECM_TASKS!r}")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # The permission policy (accounts/rules.py and each app's rules.py).
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Demo accounts (one per role, published passwords): `ecm demo` creates them only when this
# is on, and they cannot sign in when it is off. Off unless set; dev settings turn it on.
ECM_DEMO_USERS = env.bool("ECM_DEMO_USERS", default=False)

# Sign-in throttling (django-axes): five failures for a username from one address lock it for
# 15 minutes.
AXES_FAILURE_LIMIT = env.int("ECM_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ECM_SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The second factor (django-otp): TOTP apps, and single-use backup codes.
OTP_TOTP_ISSUER = "ECM Inspect"
OTP_TOTP_THROTTLE_FACTOR = 1
# Downloads of confidential exports live this long.
ECM_DOWNLOAD_LINK_SECONDS = env.int("ECM_DOWNLOAD_LINK_SECONDS", default=60)
# The retention timetable (docs/retention.md), in days: the confidential fieldwork records
# (children's references and the team's words about them) and what children and parents wrote
# in their own words, counted from the report's publication; the words of delivered e-mails,
# from their sending. `ecm retention --apply` erases what is past it; the privacy notice says it.
ECM_RETENTION_DAYS = {
    "fieldwork_records": env.int("ECM_RETAIN_FIELDWORK_RECORDS_DAYS", default=365),
    "own_words": env.int("ECM_RETAIN_OWN_WORDS_DAYS", default=365),
    "email_bodies": env.int("ECM_RETAIN_EMAIL_BODIES_DAYS", default=730),
}
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

# Uploaded files (evidence attachments, council documents): never served directly, only by
# views that ask the permission policy.
MEDIA_ROOT = Path(env.str("ECM_MEDIA_DIR", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# The largest uploaded file accepted (evidence attachments, files supplied to a request, the
# area's case-file list, council documents): a larger one is refused with a form error naming
# the limit. The web server in front should refuse bodies a little above it.
ECM_UPLOAD_MAX_BYTES = env.int("ECM_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# govuk-frontend's compiled CSS and JavaScript, installed from npm by the set-up command.
STATICFILES_DIRS = [("govuk", GOVUK_FRONTEND_DIR)]
# govuk-frontend's CSS refers to /assets/fonts/... and /assets/images/...: serve its assets
# folder at the site root.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Stored files (evidence attachments, council documents, published report PDFs) in an S3
# bucket, or an S3-compatible store at ECM_S3_ENDPOINT_URL, when ECM_S3_BUCKET is set; on
# local disk under MEDIA_ROOT otherwise. The bucket is private: a file leaves only through a
# view that checked the reader, as a redirect to a signed address valid for
# ECM_DOWNLOAD_LINK_SECONDS (core/files.py). The keys come from the standard AWS variables
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or the machine's role.
ECM_S3_BUCKET = env.str("ECM_S3_BUCKET", default="")
if ECM_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ECM_S3_BUCKET,
            "endpoint_url": env.str("ECM_S3_ENDPOINT_URL", default="") or None,
            # Unset: the SDK's own (AWS_DEFAULT_REGION, the machine's configuration).
            "region_name": env.str("ECM_S3_REGION", default="") or None,
            "querystring_auth": True,
            "querystring_expire": ECM_DOWNLOAD_LINK_SECONDS,
            "default_acl": "private",
            "file_overwrite": False,
            # Signature version 4: AWS no longer accepts version 2 for new buckets.
            "signature_version": "s3v4",
        },
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("ECM_SESSION_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from this site only, no inline script or
# style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Email (notifications to directors of children's services): printed to the console unless a
# server is configured, e.g. ECM_EMAIL_URL=smtp+tls://user:password@smtp.example.org:587
vars().update(env.email_url("ECM_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("ECM_FROM_EMAIL", default="ECM Inspect <no-reply@ecm-inspect.local>")
# Every e-mail is saved, then delivered by a task after commit (core/services.py,
# docs/deployment.md "E-mail"): ECM_EMAIL_ATTEMPTS tries in all, waiting ECM_EMAIL_RETRY_SECONDS
# between them in turn (the last repeated); then it is shown as not delivered until handled.
ECM_EMAIL_ATTEMPTS = env.int("ECM_EMAIL_ATTEMPTS", default=5)
ECM_EMAIL_RETRY_SECONDS = env.list(
    "ECM_EMAIL_RETRY_SECONDS", cast=int, default=[60, 300, 1800, 7200]
)
# GOV.UK Notify, used instead of ECM_EMAIL_URL when its API key is set: one e-mail template
# whose subject is ((subject)) and whose body is ((body)).
ECM_NOTIFY_API_KEY = env.str("ECM_NOTIFY_API_KEY", default="")
ECM_NOTIFY_TEMPLATE_ID = env.str("ECM_NOTIFY_TEMPLATE_ID", default="")
if ECM_NOTIFY_API_KEY and not ECM_NOTIFY_TEMPLATE_ID:
    raise ImproperlyConfigured("ECM_NOTIFY_API_KEY is set: set ECM_NOTIFY_TEMPLATE_ID too.")

# Joint area reviews. Team size: "between three and eight members" (2004 proposals, "Stages of
# a joint area review"); real reviews in 2006 ran with ten, so both are settings. The document
# gives no notice period, set-up date or comments period: these working-day defaults are ours.
ECM_REVIEW_TEAM_MIN = env.int("ECM_REVIEW_TEAM_MIN", default=3)
ECM_REVIEW_TEAM_MAX = env.int("ECM_REVIEW_TEAM_MAX", default=8)
ECM_REVIEW_NOTICE_DAYS = env.int("ECM_REVIEW_NOTICE_DAYS", default=40)
ECM_REVIEW_SET_UP_DAYS = env.int("ECM_REVIEW_SET_UP_DAYS", default=20)
ECM_REVIEW_COMMENTS_DAYS = env.int("ECM_REVIEW_COMMENTS_DAYS", default=10)
ECM_REVIEW_FINDINGS_MEETING_DAYS = env.int("ECM_REVIEW_FINDINGS_MEETING_DAYS", default=5)

# Following up findings: the statement of proposed action is due this many working days after
# publication ("the period the regulations allow"); each action's deadline is this many months
# after publication, by the recommendation's priority.
ECM_STATEMENT_DAYS = env.int("ECM_STATEMENT_DAYS", default=50)
ECM_FOLLOW_UP_MONTHS = {"immediately": 3, "six_months": 6, "longer_term": 18}

# Shared planning: planned inspections of one provider starting this many days apart or less
# are flagged, with a combined visit proposed.
ECM_BURDEN_WINDOW_DAYS = env.int("ECM_BURDEN_WINDOW_DAYS", default=28)

# The programme of joint area reviews (docs/programme.md): the team each review is planned
# for (within ECM_REVIEW_TEAM_MIN..MAX); the share of each body's available inspector-days
# that may go to reviews; a planned setting inspection this many days long or more (or
# coordinated) is heavy, and no fieldwork may overlap it; CP-SAT's workers; the demo's limit.
ECM_PROGRAMME_TEAM_SIZE = env.int("ECM_PROGRAMME_TEAM_SIZE", default=5)
ECM_PROGRAMME_REVIEW_SHARE = env.float("ECM_PROGRAMME_REVIEW_SHARE", default=0.2)
ECM_PROGRAMME_HEAVY_DAYS = env.int("ECM_PROGRAMME_HEAVY_DAYS", default=5)
ECM_PROGRAMME_SOLVER_WORKERS = env.int("ECM_PROGRAMME_SOLVER_WORKERS", default=2)
ECM_PROGRAMME_DEMO_SECONDS = env.float("ECM_PROGRAMME_DEMO_SECONDS", default=30.0)
# A planning job whose worker is silent this long past its time limit is failed (its worker
# stopped); one queued this long with no worker to take it up is failed too (programme/tasks.py).
ECM_PROGRAMME_JOB_STALE_SECONDS = env.int("ECM_PROGRAMME_JOB_STALE_SECONDS", default=60)
ECM_PROGRAMME_JOB_UNCLAIMED_SECONDS = env.int("ECM_PROGRAMME_JOB_UNCLAIMED_SECONDS", default=600)

# The children's survey (docs/voices.md): new responses allowed per school code in a sliding
# window of seconds ("count/seconds"); "talk to someone" e-mails per school code and posts per
# client (past either, the concern is recorded and held for the team's page, with one summary
# e-mail a window); and the fewest respondents a figure may rest on outside the review team
# (smaller cells are suppressed).
ECM_SURVEY_RATE_LIMIT = env.str("ECM_SURVEY_RATE_LIMIT", default="300/600")
ECM_SURVEY_TALK_LIMIT = env.str("ECM_SURVEY_TALK_LIMIT", default="10/600")
ECM_SURVEY_TALK_CLIENT_LIMIT = env.str("ECM_SURVEY_TALK_CLIENT_LIMIT", default="3/600")
ECM_SURVEY_MIN_CELL = env.int("ECM_SURVEY_MIN_CELL", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("ECM_LOG_LEVEL", default="WARNING")},
}
