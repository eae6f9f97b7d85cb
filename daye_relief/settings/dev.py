"""Development: a SQLite file with Celery tasks run in-process, or PostgreSQL and Redis with a real worker."""

from .base import *  # noqa: F403
from .base import env

# Off unless asked for (DEBUG=1): the pages look as in production, Chinese error pages included.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-daye-relief")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# On SQLite (`make run`) tasks run in-process, no Redis needed. On PostgreSQL (`make run-pg`) they go to the
# Redis broker for the worker and beat that `make worker` and `make beat` start.
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER",
    default=DATABASES["default"]["ENGINE"].endswith("sqlite3"),  # noqa: F405
)
CELERY_TASK_EAGER_PROPAGATES = True
# WhiteNoise serves the collected files (`make run` collects them) and, for a runserver started by hand
# before any collectstatic, finds them in the apps and static/ too.
WHITENOISE_USE_FINDERS = True
# No SMS gateway on a laptop: the short messages to families are printed to the console.
SMS_BACKEND = env("SMS_BACKEND", default="online.sms.ConsoleBackend")
# Two-factor sign-in is on unless turned off: `make run`'s demo reviewers have no phone enrolled, so the
# laptop demo turns it off (TWO_FACTOR_ENFORCED=1 turns it on to try it).
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=False)
