"""出典 shows the seed document's publisher and title, never its stored file name."""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.core.seed_documents import SEED_DOCUMENTS, source_citation
from hagukumi.frameworks.models import Framework


def test_every_seed_file_has_its_document_and_the_readme_agrees():
    files = sorted(p.name for p in settings.HAGUKUMI_SEEDS_DIR.glob("*.txt"))
    assert sorted(SEED_DOCUMENTS) == files
    readme = (settings.HAGUKUMI_SEEDS_DIR / "README.md").read_text(encoding="utf-8")
    for document in SEED_DOCUMENTS.values():
        row = next(line for line in readme.splitlines() if f"`{document.file}`" in line)
        assert document.publisher.split("／")[0].split("（")[0].split(" ")[0] in row
        assert document.title.split("（")[0].split("【")[0] in row or document.title in row


def test_a_citation_names_each_document_and_keeps_other_text():
    assert source_citation("004_bbc9afb52334891c.txt") == (
        "青森県「青森県デジタル人財育成方針」（令和6年2月）"
    )
    both = source_citation("001_27b46d1c729d241d.txt, 003_7c1bdbfa22e4fb34.txt")
    assert both.startswith("総務省「（自治体DX全体手順書・別冊）デジタル人材の育成ガイドブック」、")
    assert "北九州市" in both
    assert source_citation("庁内資料（令和7年度）") == "庁内資料（令和7年度）"


def test_template_pages_show_the_document_not_the_file(templates, user_with_role):
    client = Client()
    client.force_login(user_with_role(Role.STAFF))
    index = html.unescape(client.get(reverse("frameworks:index")).content.decode())
    assert "青森県「青森県デジタル人財育成方針」" in index
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", index)
    for framework in Framework.objects.filter(is_template=True):
        page = html.unescape(
            client.get(reverse("frameworks:detail", args=[framework.pk])).content.decode()
        )
        assert "出典：" in page
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", page), framework.code
    aomori = Framework.objects.get(is_template=True, code="aomori")
    page = html.unescape(
        client.get(reverse("frameworks:detail", args=[aomori.pk])).content.decode()
    )
    assert "出典：青森県「青森県デジタル人財育成方針」（令和6年2月）" in page
