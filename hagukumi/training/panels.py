"""What training shows on a staff member's profile (core.registries.ProfilePanel): 受講歴.

people renders the profile and cannot import training; `register()` (from
TrainingConfig.ready()) adds the panel. Its data is
`training.selectors.completion.training_history`, which applies people's
visibility matrix (本人, 所属長 for their unit and below, DX推進担当,
人事担当; nobody else) and audits the read; for anyone else the panel is empty.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from hagukumi.core.registries import ProfilePanel, register_profile_panel
from hagukumi.core.tenancy import Actor
from hagukumi.training.selectors.completion import training_history

PANEL_KEY = "training-history"


def training_history_render(*, actor: Actor, staff: Any) -> str:
    history = training_history(actor=actor, staff=staff)
    if history is None:
        return ""
    return render_to_string("training/partials/profile_history.html", {"history": history})


def register() -> None:
    """Add the 受講歴 panel to core's registry (TrainingConfig.ready())."""
    register_profile_panel(
        ProfilePanel(key=PANEL_KEY, title="受講歴", render=training_history_render, order=30)
    )
