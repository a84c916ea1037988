#!/usr/bin/env python3
"""Hagukumi's own lint rules (in the spirit of Zulip's tools/linter_lib/custom_check.py).

Each rule is a line pattern, the files it applies to, and the one-line reason
a newcomer reads when it fires. Tests and migrations are never checked. A line
that must break a rule for a reason says so with `# conventions: allow <why>`.

    python scripts/check_conventions.py            # checks hagukumi/
    python scripts/check_conventions.py PATH...    # files or directories

Exit status 1 and one `path:line: [rule] reason` line per violation when any
rule fires; `make check` and the pre-commit hook run it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("hagukumi",)
ALLOW_MARKER = "# conventions: allow"
SKIPPED_DIRECTORIES = frozenset({"tests", "migrations", "__pycache__"})


def _is_view_or_api(path: PurePath) -> bool:
    """views.py / api.py, or any module of a views/ or api/ package."""
    return path.name in ("views.py", "api.py") or any(
        part in ("views", "api") for part in path.parts[:-1]
    )


def _any_python(path: PurePath) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    reason: str
    applies_to: Callable[[PurePath], bool] = _any_python


RULES: tuple[Rule, ...] = (
    Rule(
        name="orm-in-view",
        pattern=re.compile(r"\.objects\."),
        reason=(
            "views and API handlers call a selector or a service; queries (and access checks) "
            "live there (docs/architecture.md)."
        ),
        applies_to=_is_view_or_api,
    ),
    Rule(
        name="actor-none",
        # `actor=None` as an argument, a default or a variable; not `request.actor = None`
        # (the middleware's mark of an anonymous request).
        pattern=re.compile(r"(?<![.\w])actor\s*=\s*None\b"),
        reason=(
            "None is never an actor: pass the web actor, Actor.command_line(organization) "
            "or Actor.system() (docs/adr/0005-who-is-acting.md)."
        ),
    ),
    Rule(
        name="raw-htmx-header",
        pattern=re.compile(
            r"""headers\s*(?:\.get\s*\(|\[)\s*["']hx-|META\s*(?:\.get\s*\(|\[)\s*["']HTTP_HX_""",
            re.IGNORECASE,
        ),
        reason=(
            "read htmx requests through core.web (is_htmx, htmx_target: django-htmx's "
            "request.htmx), never HX-* headers by hand."
        ),
    ),
)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    rule: Rule
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule.name}] {self.rule.reason}\n    {self.text}"


def _checked(relative: PurePath) -> bool:
    return relative.suffix == ".py" and not SKIPPED_DIRECTORIES.intersection(relative.parts[:-1])


def python_files(paths: Iterable[Path], *, root: Path) -> Iterator[tuple[Path, PurePath]]:
    """(file, path relative to `root`) for every Python file to check under `paths`."""
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            # Relative to the project (or, outside it, to what was named), so that only
            # the project's own directories decide what is a test or a views package.
            base = root if file.resolve().is_relative_to(root.resolve()) else path.parent
            relative = PurePath(file.resolve().relative_to(base.resolve()))
            if _checked(relative):
                yield file, relative


def check_file(path: Path, relative: PurePath, rules: Iterable[Rule] = RULES) -> list[Violation]:
    applicable = [rule for rule in rules if rule.applies_to(relative)]
    if not applicable:
        return []
    found: list[Violation] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if ALLOW_MARKER in line:
            continue
        for rule in applicable:
            if rule.pattern.search(line):
                found.append(Violation(path, number, rule, line.strip()))
    return found


def check(paths: Iterable[Path], *, root: Path = ROOT) -> list[Violation]:
    found: list[Violation] = []
    for file, relative in python_files(paths, root=root):
        found.extend(check_file(file, relative))
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(arg) for arg in args] or [ROOT / p for p in DEFAULT_PATHS]
    root = ROOT if not args else Path.cwd()
    violations = check(paths, root=root)
    for violation in violations:
        print(violation)
    if violations:
        print(f"\n{len(violations)} 件の規約違反があります（scripts/check_conventions.py）。")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
