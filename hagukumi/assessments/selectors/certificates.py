"""Reading a 修了証 for an actor: the page, the PDF and the Open Badges credential.

Reach is `access_certificate_by_id`'s (a certificate is visible exactly when
its staff member is: 職員 own, 所属長 own unit and below, DX推進担当 and 人事担当
the whole 団体; anyone else 404). Every read is audited: the page as 閲覧, the
PDF and the badge as 出力 (they leave the server), with the format in the detail.
"""

from __future__ import annotations

from dataclasses import dataclass

from hagukumi.assessments.certificates import (
    BADGE_MEDIA_TYPE,
    CertificateDocument,
    certificate_badge_json,
    certificate_document,
    certificate_filename,
    certificate_pdf,
)
from hagukumi.assessments.models import Certificate
from hagukumi.assessments.selectors.access import access_certificate_by_id
from hagukumi.core.audit import audit_record
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor

__all__ = [
    "CertificateFile",
    "certificate_badge_download",
    "certificate_pdf_download",
    "certificate_read",
]


@dataclass(frozen=True)
class CertificateFile:
    """A certificate file to send: its name, bytes and media type."""

    filename: str
    content: bytes
    content_type: str


def _document(
    *, actor: Actor, certificate_id: int | str
) -> tuple[Certificate, CertificateDocument]:
    certificate = access_certificate_by_id(actor=actor, certificate_id=certificate_id)
    return certificate, certificate_document(certificate)


def certificate_read(*, actor: Actor, certificate_id: int | str) -> CertificateDocument:
    """What the certificate states, for its page (audited: 閲覧)."""
    certificate, document = _document(actor=actor, certificate_id=certificate_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=certificate,
        detail={"format": "html"},
    )
    return document


def certificate_pdf_download(*, actor: Actor, certificate_id: int | str) -> CertificateFile:
    """The certificate as PDF (audited: 出力). ApplicationError when the font or Pango is
    missing from the server (nothing is audited then: nothing left)."""
    certificate, document = _document(actor=actor, certificate_id=certificate_id)
    content = certificate_pdf(document)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=certificate,
        detail={"format": "pdf"},
    )
    return CertificateFile(certificate_filename(document, "pdf"), content, "application/pdf")


def certificate_badge_download(*, actor: Actor, certificate_id: int | str) -> CertificateFile:
    """The certificate as an Open Badges 3.0 credential (audited: 出力)."""
    certificate, document = _document(actor=actor, certificate_id=certificate_id)
    content = certificate_badge_json(document)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=certificate,
        detail={"format": "open_badges"},
    )
    return CertificateFile(certificate_filename(document, "json"), content, BADGE_MEDIA_TYPE)
