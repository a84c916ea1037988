"""利用者と役割の管理 (システム管理者): the rules on core's User and Membership (ADR 0009).

- `services`: create, edit, deactivate (never delete) users; add and end role
  memberships (with FY bounds; a 所属長 for a unit of the same 団体 and 年度);
  one-time passwords (reset, the initial ones issued once); unlock; the 所属長
  move of the 4月1日 switch (`membership_move`). Every write is audited.
- `selectors`: the users of the actor's 団体, one user (`access_user_by_id`),
  locked accounts, the export rows.
- `passwords`: generating a one-time password that passes Django's validators.

The pages, the bulk import and the CLI live in `hagukumi.accounts`, which sits
above people because it links a user to their Staff record (職員番号); core never
imports people.
"""
