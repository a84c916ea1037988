"""Settings for the test suite: production settings with test-only environment defaults.

The suite runs with DEBUG off (as production), plain http for the live test
server, and a fixed key; the database comes from DATABASE_URL as usual
(empty → in-memory SQLite test database).
"""

import os

os.environ.setdefault("SECRET_KEY", "hagukumi-test-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HAGUKUMI_HTTPS", "false")

from hagukumi.settings import *  # noqa: F403

# Pages render without a collectstatic manifest: WhiteNoise serves from the finders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# No collectstatic before tests: point STATIC_ROOT at an existing empty folder
# so WhiteNoise does not warn about a missing var/static.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

STATIC_ROOT = Path(tempfile.gettempdir()) / "hagukumi-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
