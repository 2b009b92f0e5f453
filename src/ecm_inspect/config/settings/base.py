"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from pathlib import Path

import environ  # type: ignore[import-untyped]

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
    "simple_history",
    "ecm_inspect.accounts",
    "ecm_inspect.framework",
    "ecm_inspect.registry",
    "ecm_inspect.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
# govuk-frontend's compiled CSS and JavaScript, installed from npm by the set-up command.
STATICFILES_DIRS = [("govuk", GOVUK_FRONTEND_DIR)]
# govuk-frontend's CSS refers to /assets/fonts/... and /assets/images/...: serve its assets
# folder at the site root.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("ECM_LOG_LEVEL", default="WARNING")},
}
