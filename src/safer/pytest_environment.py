"""pytest plugin (`-p safer.pytest_environment`): the environment tests run in.

It is loaded before Django reads its settings. Tests speak plain HTTP to the test client and to
a live server in Chromium, so the production defaults that insist on HTTPS are switched off;
everything else is the production configuration.
"""

from __future__ import annotations

import os

TEST_ONLY_VARIABLES = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "DEBUG",
    "SAFER_DEMO",
)

for name in TEST_ONLY_VARIABLES:
    os.environ.setdefault(name, "0")
