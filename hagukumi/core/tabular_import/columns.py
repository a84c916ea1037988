"""The columns an import (or export) declares: field, Japanese heading, kind, rules."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

ColumnKind = Literal["text", "code", "int", "yen", "decimal", "date", "bool", "choice"]

# Kinds whose empty cell (or absent column) reads as "" rather than None.
TEXT_KINDS = frozenset({"text", "code"})


@dataclass(frozen=True)
class Column:
    """One column of an import (or export) file.

    ``header`` is the Japanese heading; ``aliases`` are other headings accepted
    on import. ``choices`` (kind "choice") are plain strings or Django-style
    ``(value, label)`` pairs (``SomeTextChoices.choices``): either the value or
    the label is accepted and the value is stored. ``unique`` reports repeated
    values across rows; ``max_length`` limits text/code length.
    """

    field: str
    header: str
    kind: ColumnKind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Sequence[str | tuple[str, str]] | None = None
    unique: bool = False
    max_length: int | None = None

    @property
    def empty(self) -> Any:
        """The value of an empty cell, and of this field when the column is absent."""
        return "" if self.kind in TEXT_KINDS else None

    def choice_pairs(self) -> list[tuple[str, str]]:
        """``choices`` as (stored value, label) pairs."""
        return [
            (c, c) if isinstance(c, str) else (str(c[0]), str(c[1])) for c in self.choices or ()
        ]


def check_columns(columns: Sequence[Column]) -> None:
    """Programming mistakes in a column list fail loudly (not user errors)."""
    fields: set[str] = set()
    headers: set[str] = set()
    for column in columns:
        if column.field in fields:
            raise ValueError(f"duplicate column field {column.field!r}")
        fields.add(column.field)
        for heading in (column.header, *column.aliases):
            key = norm_header(heading)
            if key in headers:
                raise ValueError(f"duplicate column heading {heading!r}")
            headers.add(key)
        if column.kind == "choice" and not column.choices:
            raise ValueError(f"choice column {column.field!r} needs choices")


def norm_header(text: str) -> str:
    """A heading as matched: NFKC, without any spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
