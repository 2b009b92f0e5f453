"""Settings for the test suite. DATABASE_URL selects SQLite (default) or PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast in tests only
ECM_DEMO_USERS = True

# Uploaded files go to a fresh folder per test run, never into the checkout.
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ecm-test-media-"))  # noqa: F405

# Tasks run as soon as they are queued (after the transaction commits), in the test's process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
