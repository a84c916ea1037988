"""assessments' staff-profile panels (core.registries): アセスメント, 実践記録, 修了証.

`register()` (AssessmentsConfig.ready()) adds them; people renders the profile
page and cannot import assessments. Each render reads through a selector of
`selectors.profiles`, which applies people's visibility (a staff member the
actor may not see renders nothing) and writes an audit 閲覧 record.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from hagukumi.assessments.models import AssessmentKind
from hagukumi.assessments.selectors.profiles import (
    staff_assessment_profile,
    staff_certificates,
    staff_practice_records,
)
from hagukumi.core.errors import AccessDenied
from hagukumi.core.registries import ProfilePanel, register_profile_panel
from hagukumi.core.tenancy import Actor

ASSESSMENT_PANEL = "assessments-assessment"
PRACTICE_PANEL = "assessments-practice"
CERTIFICATE_PANEL = "assessments-certificates"


def assessment_panel_render(*, actor: Actor, staff: Any) -> str:
    try:
        profiles = staff_assessment_profile(actor=actor, staff=staff)
    except AccessDenied:
        return ""
    return render_to_string(
        "assessments/partials/profile_assessments.html",
        {"profiles": profiles, "kinds": AssessmentKind.choices},
    )


def practice_panel_render(*, actor: Actor, staff: Any) -> str:
    try:
        summary = staff_practice_records(actor=actor, staff=staff)
    except AccessDenied:
        return ""
    return render_to_string("assessments/partials/profile_practice.html", {"summary": summary})


def certificate_panel_render(*, actor: Actor, staff: Any) -> str:
    try:
        certificates = staff_certificates(actor=actor, staff=staff)
    except AccessDenied:
        return ""
    return render_to_string(
        "assessments/partials/profile_certificates.html", {"certificates": certificates}
    )


def register() -> None:
    """Add the three panels to core's registry (idempotent)."""
    register_profile_panel(
        ProfilePanel(
            key=ASSESSMENT_PANEL, title="アセスメント", render=assessment_panel_render, order=40
        )
    )
    register_profile_panel(
        ProfilePanel(key=PRACTICE_PANEL, title="実践記録", render=practice_panel_render, order=50)
    )
    register_profile_panel(
        ProfilePanel(
            key=CERTIFICATE_PANEL, title="修了証", render=certificate_panel_render, order=60
        )
    )
