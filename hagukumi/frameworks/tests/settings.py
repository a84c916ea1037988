"""Test settings with frameworks' URLs included (see tests/urls.py)."""

from hagukumi.test_settings import *  # noqa: F403

ROOT_URLCONF = "hagukumi.frameworks.tests.urls"
