"""利用者と役割の管理 (システム管理者): pages, the bulk import and the CLI (ADR 0009).

The rules on users and memberships are core's (`hagukumi.core.user_admin`);
this app sits above people because it links a login to its staff record by
職員番号 (`people.services.user_links`). Nothing below imports it.
"""
