"""The suite's settings: the application's own, read as `make run` reads them (DEBUG on) unless told otherwise.

pytest-django turns DEBUG off while each test runs; the production configuration is tested in
test_settings.py, in processes of its own.
"""

import os

os.environ.setdefault("DEBUG", "true")

from csa_site.settings import *  # noqa: E402, F403
