"""Core records: the user, role memberships per 団体, and the append-only audit log.

core sits below orgs in the dependency order, so it refers to orgs' models only
by their lazy "app.Model" names (like Django's own AUTH_USER_MODEL) and never
imports orgs' Python modules; see docs/adr/0002-core-refers-to-orgs-by-name.md.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac


class TimeStampedModel(models.Model):
    """Base for every domain model: creation and last-change times (aware datetimes)."""

    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A login account. Its roles come from Membership rows, one per 団体 (and unit)."""

    display_name = models.CharField("表示名", max_length=100, blank=True)
    failed_login_count = models.PositiveSmallIntegerField("連続ログイン失敗回数", default=0)
    locked_until = models.DateTimeField("ロック解除日時", null=True, blank=True)
    # Set for a new account and after a reset by the administrator: the next request
    # after login goes to the password page (core.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField("次回ログイン時にパスワード変更", default=False)
    # A new account whose one-time password has not been issued yet (ADR 0009): the
    # administrator downloads it once, and only then is a password set.
    initial_password_pending = models.BooleanField("初期パスワード未発行", default=False)
    # Bumped to end every session of the user at once (deactivation, password reset):
    # it is part of the session hash Django checks on every request.
    session_version = models.PositiveIntegerField("セッション世代", default=0)

    class Meta:
        verbose_name = "利用者"
        verbose_name_plural = "利用者"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def audit_label(self) -> str:
        """The audit log's 「対象」: 「利用者 yamada（山田 太郎）」."""
        if self.display_name:
            return f"利用者 {self.username}（{self.display_name}）"
        return f"利用者 {self.username}"

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash (over the password), with `session_version` mixed in.

        Version 0 gives Django's own hash, so sessions made before the field existed
        stay valid; any bump makes every existing session of the user fail the check
        Django runs on each request (django.contrib.auth.get_user), i.e. logs them out.
        """
        base = super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        if not self.session_version:
            return str(base)
        return salted_hmac(
            "hagukumi.core.User.session_version",
            f"{base}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    """Roles of DESIGN.md. 事例閲覧 is every logged-in user and needs no row."""

    DX_OFFICE = "dx_office", "DX推進担当"
    HR = "hr", "人事担当"
    UNIT_HEAD = "unit_head", "所属長"
    STAFF = "staff", "職員"
    PREFECTURE_SUPPORT = "prefecture_support", "都道府県支援担当"
    SYSTEM_ADMIN = "system_admin", "システム管理者"


class Membership(TimeStampedModel):
    """A user holds a role in one 団体; a 所属長 holds it for one unit (and below)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="利用者"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="団体",
    )
    role = models.CharField("役割", max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="所属",
        help_text="所属長の場合のみ。その所属と配下が対象です。",
    )
    # The fiscal years (年度) the role is held in; empty: from always / until further
    # notice. A 所属長 moves with the 4月1日 switch: the old row ends at FY N-1 and a new
    # one on the unit of FY N starts at N (ADR 0009). Rights count only the rows in
    # force in the current 年度 (core.tenancy.actor_for).
    fiscal_year_from = models.PositiveSmallIntegerField("開始年度", null=True, blank=True)
    fiscal_year_to = models.PositiveSmallIntegerField("終了年度", null=True, blank=True)

    class Meta:
        verbose_name = "役割の割当"
        verbose_name_plural = "役割の割当"
        ordering = ["organization_id", "role", "user_id"]
        constraints = [
            # One row per (user, 団体, role, unit). Two partial indexes instead of one
            # `nulls_distinct=False` constraint, which SQLite cannot create (issue
            # [品質] 12): a row without a unit, and a 所属長's row with one.
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(unit__isnull=True),
                name="membership_unique_role",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "role", "unit"],
                condition=models.Q(unit__isnull=False),
                name="membership_unique_role_in_unit",
            ),
            models.CheckConstraint(
                condition=(models.Q(role="unit_head", unit__isnull=False))
                | (~models.Q(role="unit_head") & models.Q(unit__isnull=True)),
                name="membership_unit_only_for_unit_head",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year_from__isnull=True)
                | models.Q(fiscal_year_to__isnull=True)
                | models.Q(fiscal_year_to__gte=models.F("fiscal_year_from")),
                name="membership_fiscal_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.get_role_display()}"

    def is_in_force(self, fiscal_year: int) -> bool:
        """Whether the role is held in `fiscal_year` (its FY bounds cover it)."""
        return (self.fiscal_year_from is None or self.fiscal_year_from <= fiscal_year) and (
            self.fiscal_year_to is None or fiscal_year <= self.fiscal_year_to
        )


def membership_in_force(fiscal_year: int, prefix: str = "") -> models.Q:
    """Q for memberships held in `fiscal_year` (`prefix`: "memberships__" from User)."""
    return (
        models.Q(**{f"{prefix}fiscal_year_from__isnull": True})
        | models.Q(**{f"{prefix}fiscal_year_from__lte": fiscal_year})
    ) & (
        models.Q(**{f"{prefix}fiscal_year_to__isnull": True})
        | models.Q(**{f"{prefix}fiscal_year_to__gte": fiscal_year})
    )


class AuditLogAppendOnlyError(Exception):
    """Code tried to change or delete an audit row (a programming error, not user input)."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"監査ログは追記のみです。{operation}はできません。")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads only: bulk UPDATE and DELETE through the ORM are refused.

    bulk_create is refused too: it skips `AuditEvent.save()`, which links each
    row into the hash chain.
    """

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("更新")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("更新")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("一括登録")

    def delete(self) -> NoReturn:
        raise AuditLogAppendOnlyError("削除")

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("削除")


class AuditEvent(models.Model):
    """One audited act: every write, and every read of a staff member's personal data.

    Write rows with `hagukumi.core.audit.audit_record()`, never directly.
    Append-only: save() only inserts, delete() and queryset update()/delete()
    raise AuditLogAppendOnlyError, and database triggers (migrations core 0002
    and 0006, see hagukumi.core.audit) refuse UPDATE, DELETE and REPLACE on
    SQLite and PostgreSQL. Tamper-evident: each row stores the hash of the row
    before it (`previous_hash`) and its own (`row_hash`, over its fields and
    `previous_hash`), so `hagukumi audit_verify` finds an altered, removed or
    inserted row (hagukumi.core.audit_chain).
    References are plain values, not foreign keys, so that deleting a user or a
    団体 never has to touch the log.
    """

    class Action(models.TextChoices):
        LOGIN = "login", "ログイン"
        LOGIN_FAILED = "login_failed", "ログイン失敗"
        LOCKED = "locked", "アカウントロック"
        LOGOUT = "logout", "ログアウト"
        CREATE = "create", "登録"
        UPDATE = "update", "更新"
        DELETE = "delete", "削除"
        VIEW = "view", "閲覧"
        EXPORT = "export", "出力"
        IMPORT = "import", "取込"
        REFUSED = "refused", "アクセス拒否"

    # Set by save() (not auto_now_add): the hash covers it, so it is known before the INSERT.
    occurred_at = models.DateTimeField("日時", db_index=True, editable=False, blank=True)
    actor_id = models.BigIntegerField("利用者ID", null=True, blank=True, db_index=True)
    actor_username = models.CharField("利用者名", max_length=150, blank=True)
    organization_id = models.BigIntegerField("団体ID", null=True, blank=True, db_index=True)
    organization_name = models.CharField("団体名", max_length=100, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    target_type = models.CharField("対象種別", max_length=100, blank=True)
    target_id = models.CharField("対象ID", max_length=64, blank=True)
    target_repr = models.CharField("対象", max_length=255, blank=True)
    detail = models.JSONField("詳細", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("接続元", null=True, blank=True)
    user_agent = models.CharField("ブラウザ", max_length=255, blank=True)
    path = models.CharField("画面・API", max_length=255, blank=True)
    previous_hash = models.CharField(
        "直前の記録のハッシュ", max_length=64, blank=True, default="", editable=False
    )
    row_hash = models.CharField("ハッシュ", max_length=64, blank=True, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organization_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once, linked to the last row of the chain; any later save (an UPDATE) is refused.

        The previous row's hash is read inside the inserting transaction under
        the chain lock (hagukumi.core.audit_chain.chain_lock), so two writers
        never link to the same row.
        """
        from hagukumi.core import audit_chain

        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogAppendOnlyError("更新")
        kwargs["force_insert"] = True
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            previous = audit_chain.chain_lock_and_head(using)
            if self.occurred_at is None:
                self.occurred_at = timezone.now()
            audit_chain.chain_link(self, previous)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogAppendOnlyError("削除")


class ImportJob(TimeStampedModel):
    """One import run (web upload or CLI), the record both go through (hagukumi.core.jobs).

    `lane` groups kinds that must not run at once in one 団体 (e.g. "people"):
    the partial unique constraint allows one running job per (団体, lane). The
    uploaded file lives at `file_path` until the job ends (then it is deleted;
    a successful dry run keeps it for its confirmation). `options` is the
    kind's typed options (`JobOptions.to_json()`); it never grants rights: who
    runs a job comes from `inline` (the command line of this 団体) or
    `created_by` (the web user, whose roles are checked again), see
    `core.jobs.job_actor`. `confirmed_from` is the dry run a real run came from;
    `result` holds a run's links and a dry run's confirmation step (core.jobs.JobResult).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "待機"
        RUNNING = "running", "実行中"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失敗"

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name="団体"
    )
    kind = models.CharField("種類", max_length=50)
    lane = models.CharField("同時実行の単位", max_length=50)
    options = models.JSONField("指定", default=dict, blank=True)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.QUEUED)
    filename = models.CharField("ファイル名", max_length=255, blank=True)
    file_path = models.CharField("保存先", max_length=500, blank=True)
    rows_done = models.PositiveIntegerField("処理済み行数", default=0)
    rows_total = models.PositiveIntegerField("行数", null=True, blank=True)
    counts = models.JSONField("件数", default=dict, blank=True)
    errors = models.JSONField("エラー", default=list, blank=True)
    result_lines = models.JSONField("結果", default=list, blank=True)
    # What a successful run leaves for its page besides counts and lines: links to
    # what it made ("links") and the second step a dry run's confirmation needs
    # ("confirmation"); see core.jobs.JobResult.
    result = models.JSONField("結果の詳細", default=dict, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登録者",
    )
    inline = models.BooleanField("コマンドラインで実行", default=False)
    confirmed_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="確定元の試し読み",
    )
    heartbeat_at = models.DateTimeField("最終応答", null=True, blank=True)
    started_at = models.DateTimeField("開始日時", null=True, blank=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)

    class Meta:
        verbose_name = "取込ジョブ"
        verbose_name_plural = "取込ジョブ"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "lane"],
                condition=models.Q(status="running"),
                name="importjob_one_running_per_lane",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status")]

    def __str__(self) -> str:
        return f"ImportJob #{self.pk} {self.kind} {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
