"""The seed documents (data/seeds/, listed in its README.md) by file name: title, publisher.

Records that came from a seed (framework templates, seed cases) keep its file name
(`004_bbc9afb52334891c.txt`) to stay traceable; users are shown the document
instead: 青森県「青森県デジタル人財育成方針」（令和6年2月）. This table is the one
place that maps one to the other; a test keeps it in step with the README.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedDocument:
    file: str
    title: str
    publisher: str
    date: str = ""

    @property
    def citation(self) -> str:
        """publisher「title」（date）: how a page cites the document."""
        return f"{self.publisher}「{self.title}」" + (f"（{self.date}）" if self.date else "")


SEED_DOCUMENTS: dict[str, SeedDocument] = {
    d.file: d
    for d in (
        SeedDocument(
            "000_ed3477084cc589e5.txt",
            "北海道職員のデジタル人材育成に関する計画（先進事例検索システム 事例No.1627）",
            "総務省 先進事例検索システム／北海道総合政策部次世代社会戦略局",
            "令和5年3月",
        ),
        SeedDocument(
            "001_27b46d1c729d241d.txt",
            "（自治体DX全体手順書・別冊）デジタル人材の育成ガイドブック",
            "総務省",
        ),
        SeedDocument(
            "002_4d04818ec15f2553.txt",
            "札幌市デジタル人材育成方針 ver.1.0",
            "札幌市 デジタル戦略推進局",
            "令和8年2月",
        ),
        SeedDocument(
            "003_7c1bdbfa22e4fb34.txt",
            "DX推進計画に基づき、デジタル人材に係る様々な取組を推進【福岡県北九州市】",
            "総務省（先進事例）／北九州市",
        ),
        SeedDocument(
            "004_bbc9afb52334891c.txt",
            "青森県デジタル人財育成方針",
            "青森県",
            "令和6年2月",
        ),
    )
}


def seed_document(file: str) -> SeedDocument | None:
    """The seed document stored as `file` (a bare file name), or None."""
    return SEED_DOCUMENTS.get(file.strip())


def source_citation(files: str) -> str:
    """What a page shows for a stored source: each seed file as its document, others as given.

    `files` is one file name or several joined by ", " (as framework templates store them).
    """
    parts = [part.strip() for part in files.split(",") if part.strip()]
    return "、".join(found.citation if (found := seed_document(part)) else part for part in parts)
