"""Dovecot fixtures for this directory until tests/conftest.py registers them suite-wide.

Once tests/conftest.py has ``pytest_plugins = ["tests.servers.fixtures"]`` this import is
redundant but harmless: both paths share one server per session (see fixtures.py).
"""

from tests.servers.fixtures import *  # noqa: F403
