"""Settings of the app that the lists benchmark serves with gunicorn: the test settings (the bench database
comes from DATABASE_URL), plus one trivial page, the baseline, in `benchmarks.lists_urls`."""

from daye_relief.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.lists_urls"
