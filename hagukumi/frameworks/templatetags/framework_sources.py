"""`{{ item.source.file|source_citation }}`: a seed file shown as its document's title and
publisher (core.seed_documents), never as `004_bbc9afb52334891c.txt`."""

from __future__ import annotations

from django import template

from hagukumi.core.seed_documents import source_citation as _source_citation

register = template.Library()


@register.filter
def source_citation(files: str) -> str:
    return _source_citation(files or "")
