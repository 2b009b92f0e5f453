"""Settings for `make demo` and local development: debug on, SQLite under var/."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
ECM_DEMO_USERS = env.bool("ECM_DEMO_USERS", default=True)  # noqa: F405
