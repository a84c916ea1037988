"""An uploaded import file kept between its dry-run preview and the 取り込む click.

The file is written under HAGUKUMI_DATA_DIR/uploads/<purpose>/ with a random
name; the session holds the name, the file's SHA-256, the 団体 and the year.
Confirming checks all of them, so a user can only import the very file they
previewed, in their own session and 団体, within PENDING_UPLOAD_MAX_AGE.
Files are removed when used and stale ones on the next upload. With several
app servers, HAGUKUMI_DATA_DIR must be shared storage.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

PENDING_UPLOAD_MAX_AGE = 60 * 60  # seconds
_TOKEN_BYTES = 24


@dataclass(frozen=True)
class PendingUpload:
    token: str
    filename: str
    organization_id: int
    fiscal_year: int
    data: bytes


def _directory(purpose: str) -> Path:
    path = Path(settings.HAGUKUMI_DATA_DIR) / "uploads" / purpose
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _session_key(purpose: str) -> str:
    return f"hagukumi_pending_upload_{purpose}"


def _remove_stale(directory: Path) -> None:
    cutoff = time.time() - PENDING_UPLOAD_MAX_AGE
    for path in directory.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # removed by another request meanwhile
            pass


def discard(request: HttpRequest, *, purpose: str) -> None:
    """Forget (and delete) the pending upload of this session, if any."""
    entry = request.session.pop(_session_key(purpose), None)
    if entry and isinstance(entry.get("token"), str) and entry["token"].isalnum():
        (_directory(purpose) / f"{entry['token']}.upload").unlink(missing_ok=True)


def keep(
    request: HttpRequest,
    *,
    purpose: str,
    data: bytes,
    filename: str,
    organization_id: int,
    fiscal_year: int,
) -> str:
    """Store `data` for this session (replacing an earlier one) and return its token."""
    discard(request, purpose=purpose)
    directory = _directory(purpose)
    _remove_stale(directory)
    token = secrets.token_hex(_TOKEN_BYTES)
    path = directory / f"{token}.upload"
    path.write_bytes(data)
    path.chmod(0o600)
    request.session[_session_key(purpose)] = {
        "token": token,
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": filename[:200],
        "organization_id": organization_id,
        "fiscal_year": fiscal_year,
        "created": int(time.time()),
    }
    return token


def take(
    request: HttpRequest, *, purpose: str, token: str, organization_id: int
) -> PendingUpload | None:
    """The pending upload named by `token` if it is this session's, intact and fresh.

    It is removed from the session and the disk either way: a file is used once.
    """
    entry = request.session.get(_session_key(purpose))
    if not entry or not secrets.compare_digest(str(entry.get("token", "")), token):
        return None
    request.session.pop(_session_key(purpose), None)
    path = _directory(purpose) / f"{entry['token']}.upload"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    finally:
        path.unlink(missing_ok=True)
    fresh = time.time() - int(entry.get("created", 0)) <= PENDING_UPLOAD_MAX_AGE
    if (
        not fresh
        or entry.get("organization_id") != organization_id
        or hashlib.sha256(data).hexdigest() != entry.get("sha256")
    ):
        return None
    return PendingUpload(
        token=token,
        filename=str(entry.get("filename", "")),
        organization_id=organization_id,
        fiscal_year=int(entry["fiscal_year"]),
        data=data,
    )
