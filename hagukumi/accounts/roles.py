"""Who may use the user administration: システム管理者 of the 団体, defined once."""

from __future__ import annotations

from hagukumi.core.user_admin.selectors import ADMIN_ROLES as ADMIN_ROLES  # re-export
