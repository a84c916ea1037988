"""The one exception type services raise for a rule the user broke.

Views turn ApplicationError into a form error or a message, the API into HTTP
400, management commands into a Japanese message on stderr and a non-zero exit.
AccessDenied is the other one: 404 everywhere.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A user-facing error with a Japanese message and optional structured details."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class AccessDenied(Exception):
    """The actor may not see or touch the object. Always shown as 404, never 403.

    Deliberately *not* an ApplicationError: a view that turns ApplicationError
    into a form error must never show "not found" as a validation message, so
    AccessDenied passes through every `except ApplicationError` and becomes a
    404 in `role_required`, `TenantMiddleware` and the API's error handler.
    """

    def __init__(self, message: str = "見つかりません。") -> None:
        super().__init__(message)
        self.message = message
