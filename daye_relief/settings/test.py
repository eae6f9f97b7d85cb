"""Tests: the real PostgreSQL and Redis of the machine."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import env

# Evidence files of a test run go to a directory of their own, not into the checkout; a Celery worker the
# tests start inherits it through the environment, so that both read and write the same files.
if not os.environ.get("DAYE_TEST_EVIDENCE_ROOT"):
    os.environ["DAYE_TEST_EVIDENCE_ROOT"] = tempfile.mkdtemp(prefix="daye-evidence-")
EVIDENCE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": os.environ["DAYE_TEST_EVIDENCE_ROOT"]},
}

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/postgres")}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# One Redis database per test process (gw0 → 1, gw1 → 2, …): a test's cache.clear() empties its database,
# and must not empty the rate-limit counters of a test running in the other process at the same time.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("TEST_CACHE_URL", default=f"redis://127.0.0.1:6379/{1 + int(_WORKER or 0) % 15}"),
        # One prefix per test process: the parallel test processes share this Redis database, and the
        # same user id stands for different people in their databases.
        "KEY_PREFIX": f"daye-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
    }
}
CELERY_BROKER_URL = REDIS_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}
# The short messages to families are kept in memory (online.sms.MemoryBackend.outbox), rows in TextMessage.
SMS_BACKEND = "online.sms.MemoryBackend"
# Two-factor sign-in is tested on its own (tests/accounts/test_two_factor.py turns it on); elsewhere the
# tests sign reviewers in with a password only.
TWO_FACTOR_ENFORCED = False
