"""Settings for `make demo` and local development: debug on, SQLite under var/."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
ECM_DEMO_USERS = env.bool("ECM_DEMO_USERS", default=True)  # noqa: F405
# Messages sent in the demo (notifications to DCSs) are written to var/mail/, one file each,
# unless a mail server is configured with ECM_EMAIL_URL.
if not env.str("ECM_EMAIL_URL", default=""):  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"  # noqa: F405
