"""The documentation the code cites is in the repository, and every reference to it resolves.

Comments, docstrings and Markdown files point at pages of docs/ (docs/README.md is the index),
never at documents kept outside the repository; a Markdown link or a `docs/<page>.md#anchor`
reference names an existing file and, when it gives one, an anchor that page defines.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THIS = Path(__file__).resolve()

# Documents that used to live beside the repository, in a `shared` folder.
OUTSIDE = ("BACKENDS.md", "../shared/", "shared/seeds")

# [text](target) or [text](target "title"); images too.
MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# `docs/<path>.md`, optionally `#anchor`, as code comments and Markdown spell a page of docs/.
DOCS_REFERENCE = re.compile(r"(?<![\w./-])(docs/[\w./-]+?\.md)(?:#([\w-]+))?")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"|\{#([\w-]+)\}")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _files() -> list[Path]:
    """The repository's .py, .md and .toml files and .ci/run: tracked or new, never ignored."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        paths = [ROOT / name for name in listed]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        paths = [
            path
            for path in ROOT.rglob("*")
            if not any(
                part.startswith(".") and part != ".ci" for part in path.parts[len(ROOT.parts) :]
            )
            and "__pycache__" not in path.parts
        ]
    chosen = {
        path
        for path in paths
        if path.is_file()
        and (path.suffix in (".py", ".md", ".toml") or path == ROOT / ".ci" / "run")
        and ".venv" not in path.relative_to(ROOT).parts
    }
    return sorted(chosen)


FILES = _files()
SOURCES = [path for path in FILES if path.suffix in (".py", ".md")]


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _outside_fences(text: str) -> str:
    """The Markdown text with fenced code blocks blanked (their lines kept, for line numbers)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else line)
    return "\n".join(lines)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link reads as its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@cache
def _anchors(page: Path) -> frozenset[str]:
    text = _outside_fences(page.read_text(encoding="utf-8"))
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in text.splitlines():
        for match in EXPLICIT_ANCHOR.finditer(line):
            anchors.add(match.group(1) or match.group(2))
        heading = HEADING.match(line)
        if heading:
            slug = _slug(EXPLICIT_ANCHOR.sub("", heading.group(2)))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return frozenset(anchors)


def _references(path: Path) -> list[tuple[int, str, Path, str | None]]:
    """(line, as written, the file it names, its anchor or None) for each reference in path."""
    text = path.read_text(encoding="utf-8")
    found: list[tuple[int, str, Path, str | None]] = []
    markdown = path.suffix == ".md"
    scanned = _outside_fences(text) if markdown else text
    for number, line in enumerate(scanned.splitlines(), start=1):
        for match in MARKDOWN_LINK.finditer(line):
            target = match.group(1)
            if re.match(r"[a-zA-Z][\w+.-]*:|/|//", target):  # a URL, an absolute path
                continue
            where, _, anchor = target.partition("#")
            if not markdown and not where.endswith(".md"):  # code such as `handlers[kind](x)`
                continue
            # In Markdown a link is relative to its file; a comment's path is from the root.
            base = path.parent if markdown else ROOT
            page = (base / where).resolve() if where else path
            found.append((number, target, page, anchor or None))
        # docs/ pages link to each other relatively; elsewhere `docs/…` names a page of ours.
        if not _name(path).startswith("docs/"):
            for match in DOCS_REFERENCE.finditer(line):
                page = (ROOT / match.group(1)).resolve()
                found.append((number, match.group(0), page, match.group(2)))
    return found


def test_no_file_cites_documents_outside_the_repository() -> None:
    offences = [
        f"{_name(path)}:{number}: {line.strip()}"
        for path in FILES
        if path != THIS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(old in line for old in OUTSIDE)
    ]
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_every_documentation_reference_resolves(path: Path) -> None:
    broken = []
    for number, written, page, anchor in _references(path):
        if not page.exists():  # a folder is a valid link target too (GitHub lists it)
            broken.append(f"line {number}: {written}: no such file")
        elif anchor is not None and not page.is_file():
            broken.append(f"line {number}: {written}: an anchor in a folder")
        elif anchor is not None and page.suffix == ".md" and anchor not in _anchors(page):
            broken.append(f"line {number}: {written}: no anchor #{anchor} in {_name(page)}")
    assert not broken, "\n".join(broken)


def test_the_docs_pages_are_found() -> None:
    """Guards the scan itself: the index and its links are seen, and a broken link would be."""
    index = ROOT / "docs" / "README.md"
    assert index in SOURCES
    assert "evidence-tags" in _anchors(index)
    assert _slug("2.5 `CONFLICT`") == "25-conflict"
    assert any(page == ROOT / "docs" / "api.md" for _, _, page, _ in _references(index))
