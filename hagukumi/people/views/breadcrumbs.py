"""The first crumb of every people page."""

from __future__ import annotations

from django.urls import reverse


def home_crumb() -> tuple[str, str]:
    return ("ホーム", reverse("core:home"))
