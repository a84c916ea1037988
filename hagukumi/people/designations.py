"""Old path of the 指定 code, kept importable: reads are in selectors/designations.py,
writes in services/designations.py, talent types in force in hagukumi.frameworks.in_force.
"""

from hagukumi.frameworks.in_force import TalentTypeInForce, talent_type_in_force, versions_in_force
from hagukumi.people.models import HOLDING_STATUSES
from hagukumi.people.selectors.designations import designations_using
from hagukumi.people.services.designations import (
    STATUS_ORDER,
    designation_create,
    designation_transition,
)

__all__ = [
    "HOLDING_STATUSES",
    "STATUS_ORDER",
    "TalentTypeInForce",
    "designation_create",
    "designation_transition",
    "designations_using",
    "talent_type_in_force",
    "versions_in_force",
]
