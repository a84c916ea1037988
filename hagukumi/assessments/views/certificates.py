"""修了証 pages: the printable certificate (A4 print CSS), its PDF and its Open Badges JSON.

The page and the PDF come from the same template (`assessments/certificate.html`).
Answers carry `Cache-Control: no-store`: they hold personal data.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from hagukumi.assessments.certificates import CERTIFICATE_TEMPLATE
from hagukumi.assessments.roles import CERTIFICATE_ROLES
from hagukumi.assessments.selectors.certificates import (
    CertificateFile,
    certificate_badge_download,
    certificate_pdf_download,
    certificate_read,
)
from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_export import content_disposition
from hagukumi.core.web import actor_of


def _page(request: HttpRequest, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
    document = certificate_read(actor=actor_of(request), certificate_id=pk)
    response = render(
        request, CERTIFICATE_TEMPLATE, {"document": document, "error": error}, status=status
    )
    add_never_cache_headers(response)
    return response


def _download(file: CertificateFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition(file.filename)
    add_never_cache_headers(response)
    return response


@role_required(*CERTIFICATE_ROLES)
def certificate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@role_required(*CERTIFICATE_ROLES)
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        file = certificate_pdf_download(actor=actor_of(request), certificate_id=pk)
    except ApplicationError as exc:
        # The server cannot make PDFs (font or Pango missing): the page still prints.
        return _page(request, pk, error=exc.message, status=503)
    return _download(file)


@role_required(*CERTIFICATE_ROLES)
def certificate_badge_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(certificate_badge_download(actor=actor_of(request), certificate_id=pk))
