"""修了証: the document, HTML and PDF from one template, Open Badges 3.0, pages and reach."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fontTools.ttLib import TTFont
from pyld import jsonld

from hagukumi.assessments import certificates
from hagukumi.assessments.certificates import (
    BADGE_NAMESPACE,
    OB_CONTEXT_V3,
    VC_CONTEXT_V2,
    VENDORED_CONTEXTS,
    certificate_badge,
    certificate_badge_id,
    certificate_document,
    certificate_html,
    certificate_issuer_default,
    certificate_pdf,
)
from hagukumi.assessments.models import ClauseKind, RuleClause
from hagukumi.assessments.tests.factories import CertificateFactory, CertificationRuleFactory
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tests.factories import MembershipFactory
from hagukumi.frameworks.models import (
    Framework,
    FrameworkVersion,
    IndividualLevel,
    TalentType,
    VersionStatus,
)
from hagukumi.orgs.models import OrganizationKind
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

YOSHIDA = "𠮷田 太郎"  # 𠮷 = U+20BB7, outside the BMP
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
CRED = "https://www.w3.org/2018/credentials#"
SCHEMA = "https://schema.org/"


def _font_or_skip() -> Path:
    """The certificate font; skipped without it, except under CI=true (then a failure)."""
    font = Path(settings.HAGUKUMI_CERTIFICATE_FONT)
    if font.is_file():
        return font
    reason = (
        f"修了証のフォント {font} がありません（scripts/browser_deps.sh が "
        "fonts-ipamj-mincho を入れます）"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


def _framework(organization: Any) -> Framework:
    """A published framework with dx-leader (levels bronze, gold)."""
    framework = Framework.objects.create(owner=organization, code="kita", name="北九州モデル")
    version = FrameworkVersion.objects.create(
        framework=framework, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    leader = TalentType.objects.create(
        version=version, code="dx-leader", order=1, name="DX推進リーダー"
    )
    IndividualLevel.objects.create(talent_type=leader, code="bronze", order=1, name="ブロンズ")
    IndividualLevel.objects.create(talent_type=leader, code="gold", order=3, name="ゴールド")
    return framework


@pytest.fixture
def certificate(organization):  # type: ignore[no-untyped-def]
    organization.name = "デモ市"
    organization.save()
    framework = _framework(organization)
    rule = CertificationRuleFactory(
        organization=organization,
        framework=framework,
        level_code="gold",
        name="DX推進リーダー（ゴールド）認定基準",
        criteria="必須フェーズをすべて修了し、事務局アセスメントの平均が3.0以上であること。",
    )
    program = ProgramFactory(
        organization=organization, framework=framework, title="DX推進リーダー育成プログラム"
    )
    RuleClause.objects.create(
        rule=rule, order=1, kind=ClauseKind.PHASES_COMPLETED, params={}, program=program
    )
    staff = StaffFactory(
        organization=organization, name=YOSHIDA, unit=UnitFactory(organization=organization)
    )
    return CertificateFactory(
        organization=organization,
        prefix="DEMO",
        fiscal_year=2025,
        serial=1,
        number="DEMO-2025-0001",
        staff=staff,
        framework=framework,
        level_code="gold",
        rule=rule,
        issued_on=dt.date(2026, 3, 25),
        issued_by_name="",
        rule_snapshot={"rule": {"name": "DX推進リーダー（ゴールド）認定基準"}, "clauses": []},
    )


# ------------------------------------------------------------------------------ document


def test_the_document_names_everything_by_framework_code(certificate):  # type: ignore[no-untyped-def]
    document = certificate_document(certificate)
    assert document.organization_name == "デモ市"
    assert document.number == "DEMO-2025-0001"
    assert document.staff_name == YOSHIDA
    assert document.talent_type_name == "DX推進リーダー"
    assert document.level_name == "ゴールド"
    assert document.achievement_name == "DX推進リーダー（ゴールド）"
    assert document.rule_name == "DX推進リーダー（ゴールド）認定基準"
    assert document.programme_title == "DX推進リーダー育成プログラム"
    assert document.issued_on_wareki == "令和8年3月25日"
    assert document.issued_on_western == "2026年3月25日"
    assert document.fiscal_year_label == "令和7年度 (2025)"
    assert document.issuer == "デモ市長"


def test_the_issuer_is_the_head_of_the_organization_unless_the_certificate_names_one(
    certificate,
):  # type: ignore[no-untyped-def]
    assert certificate_issuer_default(OrganizationFactory(name="札幌市")) == "札幌市長"
    assert (
        certificate_issuer_default(
            OrganizationFactory(name="千代田区", kind=OrganizationKind.SPECIAL_WARD)
        )
        == "千代田区長"
    )
    assert (
        certificate_issuer_default(OrganizationFactory(name="森町", kind=OrganizationKind.TOWN))
        == "森町長"
    )
    prefecture = OrganizationFactory(name="北海道", kind=OrganizationKind.PREFECTURE)
    assert certificate_issuer_default(prefecture) == "北海道知事"
    certificate.issued_by_name = "デモ市長　山田 一郎"
    assert certificate_document(certificate).issuer == "デモ市長　山田 一郎"


def test_the_rule_snapshot_wins_over_a_later_rule_change(certificate):  # type: ignore[no-untyped-def]
    certificate.rule.name = "改定後の認定基準"
    certificate.rule.save()
    assert certificate_document(certificate).rule_name == "DX推進リーダー（ゴールド）認定基準"
    # What assessments.services.certification freezes: names as text, "" = no programme.
    certificate.rule_snapshot = {
        "rule": "スナップショットの名称",
        "criteria": "当時の基準",
        "program": "",
    }
    document = certificate_document(certificate)
    assert (document.rule_name, document.criteria) == ("スナップショットの名称", "当時の基準")
    assert document.programme_title == ""
    certificate.rule_snapshot["program"] = "当時のプログラム"
    assert certificate_document(certificate).programme_title == "当時のプログラム"


# ------------------------------------------------------------------------------ font and PDF


def test_the_certificate_font_has_u20bb7_in_its_cmap():
    font = _font_or_skip()
    with TTFont(font, fontNumber=0, lazy=True) as ttf:
        cmap = ttf.getBestCmap()
    assert 0x20BB7 in cmap, f"{font} の cmap に U+20BB7（𠮷）がありません"


def test_the_pdf_is_one_a4_page_and_the_name_reads_back(certificate):  # type: ignore[no-untyped-def]
    _font_or_skip()
    pdf = certificate_pdf(certificate_document(certificate))
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "𠮷田" in text
    assert YOSHIDA in text
    for expected in (
        "修了証",
        "DEMO-2025-0001",
        "DX推進リーダー（ゴールド）",
        "令和8年3月25日",
        "2026年3月25日",
        "デモ市長",
    ):
        assert expected in text, expected


def test_the_pdf_and_the_page_come_from_one_template(certificate):  # type: ignore[no-untyped-def]
    document = certificate_document(certificate)
    page = certificate_html(document)
    printed = certificate_html(document, pdf_css="/* pdf */")
    for html in (page, printed):
        assert 'class="certificate__name">𠮷田 太郎</span>' in html
    assert "PDFをダウンロード" in page
    assert "PDFをダウンロード" not in printed
    assert "certificate.css" in page
    assert "/* pdf */" in printed
    stylesheet = certificates.CERTIFICATE_STYLESHEET.read_text(encoding="utf-8")
    rules = stylesheet.split("*/", 1)[1]
    assert rules.count("letter-spacing") == rules.count("letter-spacing: normal;") == 1
    assert "@page" in stylesheet
    assert "A4" in stylesheet


def test_the_pdf_fetches_nothing_but_the_font(certificate, settings, monkeypatch):  # type: ignore[no-untyped-def]
    _font_or_skip()
    certificate.staff.name = '<img src="http://192.0.2.1/x.png">𠮷田'
    html = certificate_html(certificate_document(certificate))
    assert "<img" not in html  # autoescaped
    # Even a stylesheet naming other resources gets only the font: the rest is refused
    # (WeasyPrint warns and goes on), nothing reaches the network or another file.
    pdf_css = certificates._pdf_css
    monkeypatch.setattr(
        certificates,
        "_pdf_css",
        lambda font: (
            pdf_css(font)
            + '.certificate { background: url("http://192.0.2.1/x.png"); }'
            + '.certificate__frame { background: url("file:///etc/hostname"); }'
        ),
    )
    from weasyprint.urls import URLFetcher

    fetched: list[str] = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):  # type: ignore[no-untyped-def]
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    pdf = certificate_pdf(certificate_document(certificate))
    assert pdf.startswith(b"%PDF-")
    assert fetched == [Path(settings.HAGUKUMI_CERTIFICATE_FONT).resolve().as_uri()]


# ------------------------------------------------------------------------------ Open Badges 3.0


def _offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader serving only the vendored contexts (tests never go online)."""
    if url not in VENDORED_CONTEXTS:
        raise AssertionError(f"network fetch attempted: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": certificates.vendored_context(url)}


def _single(value: Any) -> Any:
    """Lists of one become the item (compaction's habit), recursively."""
    if isinstance(value, list):
        items = [_single(v) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        return {k: _single(v) for k, v in value.items()}
    return value


def _keys(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _keys(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            found |= _keys(value)
    return found


def test_the_vendored_contexts_are_the_ones_the_credential_names():
    assert set(VENDORED_CONTEXTS) == {VC_CONTEXT_V2, OB_CONTEXT_V3}
    for url, path in VENDORED_CONTEXTS.items():
        assert "@context" in json.loads(path.read_text(encoding="utf-8")), url
    licences = {p.name for p in certificates.JSONLD_DIR.glob("LICENSE-*")}
    assert licences == {"LICENSE-open-badges-context.txt", "LICENSE-credentials-v2-context.txt"}


def test_the_badge_expands_to_open_badges_3_iris_with_no_term_dropped(certificate):  # type: ignore[no-untyped-def]
    credential = certificate_badge(certificate_document(certificate))
    expanded = jsonld.expand(credential, {"documentLoader": _offline_loader})
    assert len(expanded) == 1
    node = expanded[0]
    assert set(node["@type"]) == {f"{CRED}VerifiableCredential", f"{OB}OpenBadgeCredential"}
    assert node["@id"] == certificate_badge_id("DEMO-2025-0001")
    issuer = node[f"{CRED}issuer"][0]
    assert issuer["@type"] == [f"{OB}Profile"]
    assert issuer[f"{SCHEMA}name"] == [{"@value": "デモ市"}]
    assert node[f"{CRED}validFrom"][0]["@value"] == "2026-03-25T00:00:00+09:00"
    subject = node[f"{CRED}credentialSubject"][0]
    assert subject["@type"] == [f"{OB}AchievementSubject"]
    identity = subject[f"{OB}identifier"][0]
    assert identity[f"{OB}identityHash"] == [{"@value": YOSHIDA}]
    achievement = subject[f"{OB}achievement"][0]
    assert achievement["@type"] == [f"{OB}Achievement"]
    assert achievement[f"{SCHEMA}name"] == [{"@value": "DX推進リーダー（ゴールド）"}]
    criteria = achievement[f"{OB}Criteria"][0]
    assert criteria[f"{OB}narrative"] == [
        {"@value": "必須フェーズをすべて修了し、事務局アセスメントの平均が3.0以上であること。"}
    ]
    # Every property expanded to an absolute IRI (a term the contexts lack would be dropped
    # or left relative) …
    for key in _keys(expanded):
        assert key.startswith(("@", "https://", "http://")), key
    # … and compacting back gives the credential again: nothing was dropped.
    compacted = jsonld.compact(
        expanded, {"@context": credential["@context"]}, {"documentLoader": _offline_loader}
    )
    assert _single(compacted) == _single(credential)


def test_badge_ids_are_fixed_by_the_certificate_number(certificate):  # type: ignore[no-untyped-def]
    document = certificate_document(certificate)
    first, second = certificate_badge(document), certificate_badge(document)
    assert first == second
    expected = uuid.uuid5(BADGE_NAMESPACE, "certificate:DEMO-2025-0001")
    assert first["id"] == f"urn:uuid:{expected}"
    assert certificate_badge_id("DEMO-2025-0002") != first["id"]
    assert "validUntil" not in first


def test_a_revoked_certificate_says_so_and_its_credential_ends(certificate):  # type: ignore[no-untyped-def]
    certificate.revoked_on = dt.date(2027, 4, 1)
    document = certificate_document(certificate)
    assert "この修了証は令和9年4月1日に失効しました。" in certificate_html(document)
    credential = certificate_badge(document)
    assert credential["validUntil"] == "2027-04-01T00:00:00+09:00"
    expanded = jsonld.expand(credential, {"documentLoader": _offline_loader})
    assert f"{CRED}validUntil" in expanded[0]


# ------------------------------------------------------------------------------ pages and reach


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(certificate: Any) -> dict[str, str]:
    return {
        name: reverse(f"assessments:{name}", kwargs={"pk": certificate.pk})
        for name in ("certificate", "certificate_pdf", "certificate_badge")
    }


def test_the_page_shows_the_certificate_and_audits_the_read(certificate, user_with_role):  # type: ignore[no-untyped-def]
    response = _client(user_with_role(Role.DX_OFFICE)).get(_urls(certificate)["certificate"])
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (YOSHIDA, "DEMO-2025-0001", "令和8年3月25日", "2026年3月25日", "デモ市長"):
        assert expected in html
    assert _urls(certificate)["certificate_pdf"] in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, target_id=str(certificate.pk))
    assert event.target_repr == f"修了証 DEMO-2025-0001 {YOSHIDA}"
    assert event.detail == {"format": "html"}


def test_the_pdf_download(certificate, user_with_role):  # type: ignore[no-untyped-def]
    _font_or_skip()
    response = _client(user_with_role(Role.HR)).get(_urls(certificate)["certificate_pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "DEMO-2025-0001.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, target_id=str(certificate.pk))
    assert event.detail == {"format": "pdf"}


def test_without_the_font_the_pdf_link_says_why_and_the_page_still_prints(
    certificate, user_with_role, settings, tmp_path
):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_CERTIFICATE_FONT = tmp_path / "missing.ttf"
    response = _client(user_with_role(Role.DX_OFFICE)).get(_urls(certificate)["certificate_pdf"])
    assert response.status_code == 503
    html = response.content.decode()
    assert "修了証のPDFに使うフォントが見つかりません" in html
    assert YOSHIDA in html
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_badge_download(certificate, user_with_role):  # type: ignore[no-untyped-def]
    response = _client(user_with_role(Role.DX_OFFICE)).get(_urls(certificate)["certificate_badge"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert "DEMO-2025-0001.json" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    credential = json.loads(response.content)
    assert credential == certificate_badge(certificate_document(certificate))
    assert YOSHIDA in response.content.decode("utf-8")  # Japanese kept as text
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, target_id=str(certificate.pk))
    assert event.detail == {"format": "open_badges"}


def _reader(kind: str, certificate: Any, user_with_role: Any) -> Any:
    organization = certificate.organization
    if kind == "self":
        user = user_with_role(Role.STAFF)
        certificate.staff.user = user
        certificate.staff.save()
        return user
    if kind == "other_staff":
        user = user_with_role(Role.STAFF)
        StaffFactory(organization=organization, user=user)
        return user
    if kind == "unit_head":
        return user_with_role(Role.UNIT_HEAD, unit=certificate.staff.unit)
    if kind == "unit_head_parent":
        parent = UnitFactory(organization=organization)
        certificate.staff.unit.parent = parent
        certificate.staff.unit.save()
        return user_with_role(Role.UNIT_HEAD, unit=parent)
    if kind == "other_unit_head":
        return user_with_role(Role.UNIT_HEAD)
    if kind == "outsider":
        other = OrganizationFactory()
        user = user_with_role(Role.DX_OFFICE, org=other)
        for role in (Role.HR, Role.STAFF):  # every reading role, of another 団体
            MembershipFactory(user=user, organization=other, role=role)
        return user
    return user_with_role(kind)


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("self", 200),
        ("unit_head", 200),
        ("unit_head_parent", 200),
        (Role.DX_OFFICE, 200),
        (Role.HR, 200),
        ("other_staff", 404),
        ("other_unit_head", 404),
        (Role.PREFECTURE_SUPPORT, 404),
        (Role.SYSTEM_ADMIN, 404),
        ("outsider", 404),
    ],
)
def test_who_reaches_a_certificate(certificate, user_with_role, reader, status):  # type: ignore[no-untyped-def]
    client = _client(_reader(reader, certificate, user_with_role))
    for name in ("certificate", "certificate_badge"):
        response = client.get(_urls(certificate)[name])
        assert response.status_code == status, (reader, name)
    reads = AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT],
        target_id=str(certificate.pk),
    ).count()
    assert reads == (2 if status == 200 else 0)


def test_an_unknown_or_malformed_id_is_404(certificate, user_with_role):  # type: ignore[no-untyped-def]
    client = _client(user_with_role(Role.DX_OFFICE))
    assert client.get(reverse("assessments:certificate", kwargs={"pk": 999999})).status_code == 404
    assert client.get("/assessments/certificates/abc/").status_code == 404
