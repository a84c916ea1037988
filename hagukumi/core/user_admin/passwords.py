"""One-time passwords: random, readable on paper, and accepted by Django's validators."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

# No look-alikes (0/O, 1/l/I), so a password copied from a printout works.
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 14


def one_time_password_generate(*, user: Any = None) -> str:
    """A fresh one-time password with letters and digits that passes AUTH_PASSWORD_VALIDATORS."""
    while True:
        candidate = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not any(c.isdigit() for c in candidate) or not any(c.isalpha() for c in candidate):
            continue
        try:
            validate_password(candidate, user=user)
        except ValidationError:
            continue
        return candidate
