"""The monitoring tests' pool of households and departments, for the tokens' tests."""

from tests.monitoring.conftest import pool  # noqa: F401
