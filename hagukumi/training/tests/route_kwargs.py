"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py).

Every object is of the matrix's 団体, so a user of another 団体 gets 404 on each
URL. The enrolment URLs are POST only: a user of the 団体 holding a declared
role gets 405 for the GET the matrix sends (the object is found first, so
another 団体 still gets 404).
"""

from __future__ import annotations

from typing import Any

from hagukumi.training.tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    ProgramFactory,
    SessionFactory,
)


def _program(world: Any) -> dict[str, Any]:
    return {"pk": ProgramFactory(organization=world.organization).pk}


def _course(world: Any) -> dict[str, Any]:
    return {"pk": CourseFactory(organization=world.organization, audience_rule={"hire_year": 1}).pk}


def _cohort(world: Any) -> dict[str, Any]:
    program = ProgramFactory(organization=world.organization)
    return {"pk": CohortFactory(program=program).pk}


def _enrollment(world: Any) -> dict[str, Any]:
    cohort = CohortFactory(program=ProgramFactory(organization=world.organization))
    return {"pk": EnrollmentFactory(cohort=cohort).pk}


def _session(world: Any) -> dict[str, Any]:
    return {"pk": SessionFactory(course=CourseFactory(organization=world.organization)).pk}


ROUTE_KWARGS = {
    "training:program_detail": _program,
    "training:cohort_create": _program,
    "training:course_audience": _course,
    "training:cohort_detail": _cohort,
    "training:cohort_start": _cohort,
    "training:cohort_appoint": _cohort,
    "training:cohort_apply": _cohort,
    "training:cohort_groups": _cohort,
    "training:cohort_completions": _cohort,
    "training:enrollment_approve": _enrollment,
    "training:enrollment_reject": _enrollment,
    "training:enrollment_cancel": _enrollment,
    "training:attendance_sheet": _session,
}
