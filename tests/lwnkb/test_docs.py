"""The README and docs/ stay true: every setting, command, layout path and link is real."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
README_MAX_LINES = 180


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def markdown_pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def settings_sources() -> str:
    """The settings module, or every module of a settings package."""
    files = [ROOT / "lwnkb" / "settings.py", *sorted((ROOT / "lwnkb" / "settings").rglob("*.py"))]
    return "\n".join(read(f) for f in files if f.is_file())


def table_first_cells(markdown: str) -> str:
    """The first cell of every table row, joined: where a reference table names its subject."""
    cells = []
    for line in markdown.splitlines():
        if line.startswith("|") and not re.fullmatch(r"\|[\s:|-]*", line):
            cells.append(line.split("|")[1])
    return "\n".join(cells)


def test_it_documents_every_setting_read_from_the_environment_in_a_configuration_table() -> None:
    names = set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', settings_sources()))
    documented = table_first_cells(read(DOCS / "configuration.md"))

    assert len(names) > 30  # the pattern still finds them
    assert sorted(n for n in names if f"`LWNKB_{n}`" not in documented) == []


def test_it_documents_every_management_command() -> None:
    commands = sorted(p.stem for p in (ROOT / "articles/management/commands").glob("lwn_*.py"))
    docs = "\n".join(read(page) for page in markdown_pages())

    assert "lwn_import" in commands
    assert [c for c in commands if f"`manage.py {c}" not in docs] == []


# The layout block in docs/development.md -------------------------------------------------

LAYOUT_INDENT = 2


def layout_block() -> list[str]:
    """The first fenced code block after the "## Layout" heading of docs/development.md."""
    text = read(DOCS / "development.md")
    section = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert section, 'docs/development.md has no "## Layout" section'
    block = re.search(r"^```[^\n]*\n(.*?)^```", section.group(1), flags=re.M | re.S)
    assert block, 'the "## Layout" section of docs/development.md has no code block'
    return block.group(1).splitlines()


def layout_names(line: str) -> list[str]:
    """The paths a layout line names: its first column (up to two spaces), split at commas."""
    column = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
    return [name.strip() for name in column.split(",") if name.strip()]


def layout_paths(lines: list[str]) -> list[str]:
    """Every path the layout names, relative to the repository, nesting by indentation.

    A line indented deeper than the one before it lives in that line's folder; a line
    naming several paths cannot hold others.
    """
    paths: list[str] = []
    parents: list[tuple[int, str]] = []  # (indent, folder path), innermost last
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        assert indent % LAYOUT_INDENT == 0, f"layout line {number}: odd indentation: {line!r}"
        while parents and parents[-1][0] >= indent:
            parents.pop()
        assert indent == 0 or parents, f"layout line {number}: indented under nothing: {line!r}"
        prefix = parents[-1][1] if parents else ""
        names = layout_names(line)
        assert names, f"layout line {number}: names no path: {line!r}"
        paths += [prefix + name for name in names]
        if len(names) == 1 and names[0].endswith("/"):
            parents.append((indent, prefix + names[0]))
    return paths


def test_it_parses_the_layout_by_indentation_and_commas() -> None:
    lines = [
        "top/                a folder",
        "  sub/              nested",
        "    deep.py         deeper",
        "  a.py, b.py        two files",
        "  more/sub/         a multi-part folder",
        "",
        "    leaf.py         inside more/sub/",
        "other/, x/  two top-level folders",
    ]

    assert layout_paths(lines) == [
        "top/",
        "top/sub/",
        "top/sub/deep.py",
        "top/a.py",
        "top/b.py",
        "top/more/sub/",
        "top/more/sub/leaf.py",
        "other/",
        "x/",
    ]


def exists_as_written(path: str) -> bool:
    """``name/`` must be a folder, ``name`` a file."""
    target = ROOT / path
    return target.is_dir() if path.endswith("/") else target.is_file()


def with_ancestors(paths: list[str]) -> set[str]:
    """The paths without trailing slashes, and every folder above them."""
    parts = [p.rstrip("/").split("/") for p in paths]
    return {"/".join(p[:i]) for p in parts for i in range(1, len(p) + 1)}


def test_it_names_only_paths_that_exist_in_the_documented_layout() -> None:
    paths = layout_paths(layout_block())

    assert {"lwnkb/", "articles/", "articles/lwn/", "tests/"} <= set(paths)  # the parse works
    missing = [p for p in paths if not exists_as_written(p)]
    assert missing == [], f"docs/development.md's layout names paths that do not exist: {missing}"


def test_it_lists_every_package_of_the_app_in_the_documented_layout() -> None:
    documented = with_ancestors(layout_paths(layout_block()))
    packages = sorted(
        init.parent.relative_to(ROOT).as_posix()
        for init in (ROOT / "articles").rglob("__init__.py")
        if "migrations" not in init.parent.relative_to(ROOT).parts
    )

    assert "articles/lwn" in packages  # the walk finds them
    unlisted = [p + "/" for p in packages if p not in documented]
    assert unlisted == [], f"docs/development.md's layout does not list these packages: {unlisted}"


# Links and length ----------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", flags=re.M)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", flags=re.I)
CODE_BLOCK = re.compile(r"^(```|~~~).*?^\1", flags=re.M | re.S)


def link_targets(markdown: str) -> list[tuple[str, str]]:
    """(path, fragment) of every relative link in prose, not code; path "" is the page itself."""
    prose = re.sub(r"`[^`\n]*`", "", CODE_BLOCK.sub("", markdown))
    targets = LINK.findall(prose) + REFERENCE.findall(prose)
    return [(t.partition("#")[0], t.partition("#")[2]) for t in targets if not EXTERNAL.match(t)]


def relative_links(markdown: str) -> list[str]:
    """Relative link targets to other files, without their #fragments."""
    return [path for path, _ in link_targets(markdown) if path]


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, - for spaces."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*#*$", CODE_BLOCK.sub("", markdown), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_it_finds_relative_links_and_ignores_code_and_urls() -> None:
    markdown = "\n".join(
        [
            "[a](docs/a.md#part) ![b](img/b.png) [c](https://lwn.net/) [d](#top)",
            "`[e](not/a/link.md)` [f](mailto:x@example.org)",
            "```",
            "[g](inside/a/block.md)",
            "```",
            "[h]: ../ref.md",
        ]
    )

    assert relative_links(markdown) == ["docs/a.md", "img/b.png", "../ref.md"]
    assert ("docs/a.md", "part") in link_targets(markdown)
    assert ("", "top") in link_targets(markdown)


def test_it_derives_heading_anchors_as_github_does() -> None:
    markdown = "# Title\n## Checking dependencies (`make audit`)\n### The whoosh backend (default)"

    assert heading_anchors(markdown) == {
        "title",
        "checking-dependencies-make-audit",
        "the-whoosh-backend-default",
    }


def test_it_links_only_to_files_that_exist_from_the_readme_and_docs() -> None:
    broken = [
        f"{page.relative_to(ROOT)} -> {target}"
        for page in markdown_pages()
        for target in relative_links(read(page))
        if not (page.parent / target).exists()
    ]

    assert len(markdown_pages()) > 5  # docs/ is found
    assert broken == []


def test_it_links_only_to_headings_that_exist_in_the_readme_and_docs() -> None:
    broken = [
        f"{page.relative_to(ROOT)} -> {path}#{fragment}"
        for page in markdown_pages()
        for path, fragment in link_targets(read(page))
        if fragment
        and (target := page.parent / path if path else page).suffix == ".md"
        and target.is_file()
        and fragment not in heading_anchors(read(target))
    ]

    assert broken == []


def test_it_keeps_the_readme_at_most_180_lines() -> None:
    lines = len(read(README).splitlines())

    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/"
