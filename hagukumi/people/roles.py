"""Who may use the people pages and endpoints: every role tuple of the app, once.

Views declare these in `role_required`, the API in `require_role`, the
navigation in `apps.py` and the visibility rules in `visibility.py`, so a
change of "who may search" is one edit.
"""

from __future__ import annotations

from hagukumi.core.access import EVERY_ROLE as EVERY_ROLE  # re-export
from hagukumi.core.models import Role

# The DX推進リーダー名簿: whom to ask is for every user of the 団体 (EVERY_ROLE, from core).
# Profiles, 庁内公募 and the staff API: the roles that work with staff records.
PEOPLE_ROLES: tuple[str, ...] = (Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD, Role.STAFF)
# 人材検索, its export and the list of designations (所属長: unit and below).
SEARCH_ROLES: tuple[str, ...] = (Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD)
# Roles that reach the whole 団体 (not only a unit and below).
WIDE_ROLES: tuple[str, ...] = (Role.HR, Role.DX_OFFICE)
# Who posts 庁内公募 / ジョブチャレンジ / DX推進枠.
POSTING_ROLES: tuple[str, ...] = (Role.HR, Role.DX_OFFICE)
# Who uploads the roster and the qualification list (ImportJob) and sees its jobs.
ROSTER_ROLES: tuple[str, ...] = (Role.HR,)
# Who keeps 異動歴 (corrections, the 異動 import) and runs the 4月1日 switch (issue 13).
ASSIGNMENT_ROLES: tuple[str, ...] = (Role.HR,)
