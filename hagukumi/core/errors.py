"""The one exception type services raise for a rule the user broke.

Views turn it into a form error or a message, the API into HTTP 400, management
commands into a Japanese message on stderr and a non-zero exit.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A user-facing error with a Japanese message and optional structured details."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class AccessDenied(ApplicationError):
    """The actor may not see or touch the object. Always shown as 404, never 403."""

    def __init__(self, message: str = "見つかりません。") -> None:
        super().__init__(message)
