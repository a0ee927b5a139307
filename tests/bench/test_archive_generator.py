"""The generated archive (``bench/archive``): deterministic, counted, and read back
by the parser exactly as the generator meant it, in every era's markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.lwn import ParsedPage, parse_page
from bench.archive import pages, shape
from bench.archive.generate import generate
from bench.archive.model import STAFF, Article, Edition

SCALE = 0.002  # six editions spread over 1998-2026: every layout, both comment markups
Model = Edition | Article | list[Article]
# The parser names staff by full name where the page gives a login.
STAFF_NAMES = {login: name for login, name, _, _ in STAFF}


class Generated:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.models: dict[str, tuple[str, Model]] = {}
        self.manifest = generate(root, scale=SCALE, observer=self._seen)
        self.parsed = {rel: parse_page((root / rel).read_bytes()) for rel in self.models}

    def _seen(self, relative: str, kind: str, model: Model) -> None:
        self.models[relative] = (kind, model)

    def of_kind(self, kind: str) -> list[tuple[ParsedPage, Model]]:
        return [(self.parsed[rel], model) for rel, (k, model) in self.models.items() if k == kind]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return Generated(tmp_path_factory.mktemp("archive"))


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_it_writes_byte_identical_archives_for_one_seed(archive: Generated, tmp_path: Path) -> None:
    generate(tmp_path / "again", scale=SCALE)
    generate(tmp_path / "other", scale=SCALE, seed=7)
    first = _files(archive.root)
    assert _files(tmp_path / "again") == first
    assert _files(tmp_path / "other") != first


def test_it_counts_in_the_manifest_what_it_wrote(archive: Generated) -> None:
    manifest = json.loads((archive.root / "manifest.json").read_text())
    assert manifest == json.loads(json.dumps(archive.manifest))
    pages = list(archive.root.rglob("*.html"))
    assert manifest["pages"] == len(pages) == len(archive.parsed)
    kinds: dict[str, int] = {}
    layouts: dict[str, int] = {}
    for page in archive.parsed.values():
        kinds[page.page_kind] = kinds.get(page.page_kind, 0) + 1
        layouts[page.layout] = layouts.get(page.layout, 0) + 1
    assert manifest["pages_by_kind"] == kinds
    assert manifest["pages_by_layout"] == layouts
    assert set(layouts) == {"table", "grid", "modern"}
    editions = [page for page, _ in archive.of_kind("edition")]
    assert manifest["editions"] == len(editions) == shape.Shape.at(SCALE).editions
    items = [item for page in editions for item in page.items]
    by_kind = {
        kind: sum(1 for item in items if item.kind == kind)
        for kind in ("brief", "feature", "guest")
    }
    assert manifest["articles_by_kind"] == by_kind
    assert manifest["articles"] == len(items) == kinds["article"] + kinds["subscription_required"]
    threads = [page for page, _ in archive.of_kind("article")]
    assert manifest["comments"] == sum(len(page.comments) for page in threads)
    windows = [item.merge_window for item in items if item.merge_window is not None]
    assert manifest["merge_window_articles"] == len(windows) >= 2
    assert manifest["releases"] == len({w.kernel_version for w in windows})
    assert manifest["merge_items"] == sum(len(g.items) for w in windows for g in w.groups)
    devices = sum(len(c.devices) for item in items for c in item.hardware)
    assert manifest["devices"] == devices > 0


def test_it_writes_pages_the_parser_reads_without_warnings(archive: Generated) -> None:
    for relative, (kind, model) in archive.models.items():
        page = archive.parsed[relative]
        assert page.warnings == [], relative
        assert page.page_kind == kind, relative
        if isinstance(model, Edition):
            year = model.date.year
        elif isinstance(model, Article):
            year = model.year
        else:
            year = shape.LAST_EDITION.year
        assert page.layout == shape.layout_for(year), relative


def test_it_writes_editions_the_parser_reads_back_item_by_item(archive: Generated) -> None:
    for page, model in archive.of_kind("edition"):
        assert isinstance(model, Edition)
        assert (page.lwn_id, page.date) == (model.lwn_id, model.date)
        got = [
            (i.lwn_id, i.title, i.kind, i.section, i.authors, i.date, i.comment_count)
            for i in page.items
        ]
        meant = [
            (a.lwn_id, a.title, a.kind, a.section, [a.author], a.date, len(a.comments))
            for a in model.articles
        ]
        assert got == meant
        for item, article in zip(page.items, model.articles, strict=True):
            window = article.merge_window
            if window is None:
                assert item.merge_window is None
                assert item.hardware == []
                continue
            assert item.merge_window is not None
            assert (item.merge_window.kernel_version, item.merge_window.part) == (
                window.version,
                window.part,
            )
            groups = [(g.title, len(g.items)) for g in item.merge_window.groups]
            assert groups == [(title, len(items)) for title, items in window.groups]
            assert [(c.category, c.devices) for c in item.hardware] == window.hardware


def test_it_writes_threads_the_parser_reads_back_comment_by_comment(archive: Generated) -> None:
    markups = set()
    for page, model in archive.of_kind("article"):
        assert isinstance(model, Article)
        markups.add(shape.comment_markup_for(model.year))
        assert (page.lwn_id, page.title, page.date) == (model.lwn_id, model.title, model.date)
        [item] = page.items
        assert (item.kind, item.authors, item.comment_count) == (
            model.kind,
            [model.author],
            len(model.comments),
        )
        comments = model.comments
        # The page shows a thread depth-first; the model holds it in posting order.
        assert sorted(c.lwn_id for c in page.comments) == [c.lwn_id for c in comments]
        by_id = {c.lwn_id: c for c in comments}
        for got in page.comments:
            meant = by_id[got.lwn_id]
            parent = None if meant.parent is None else comments[meant.parent].lwn_id
            assert (got.parent_id, got.depth, got.title, got.author, got.role, got.posted_at) == (
                parent,
                meant.depth,
                meant.title,
                meant.author,
                # The parser reports the supporter badge "✭ supporter ✭" as "supporter".
                meant.role.strip("\u272d "),
                meant.posted_at,
            ), got.lwn_id
    assert markups == {"bare", "formatted", "details"}


def test_it_writes_subscription_pages_for_the_last_weeks_features(archive: Generated) -> None:
    pages = archive.of_kind("subscription_required")
    assert pages
    for page, model in pages:
        assert isinstance(model, Article)
        assert model.kind != "brief"
        assert (shape.LAST_EDITION - model.date).days < 7
        assert (page.lwn_id, page.title) == (model.lwn_id, model.title)
        assert page.free_on is not None
        assert (page.free_on - model.date).days == 7


def test_it_writes_a_home_page_of_the_newest_items(archive: Generated) -> None:
    [(page, model)] = archive.of_kind("frontpage")
    assert isinstance(model, list)
    got = [
        (h.lwn_id, h.title, h.subscriber_only, h.comment_count, h.section, h.poster, h.posted_at)
        for h in page.headlines
    ]
    meant = [
        (
            a.lwn_id,
            a.title,
            a.subscriber_only,
            len(a.comments),
            pages.home_section(a),
            STAFF_NAMES[a.login],
            pages.home_posted_at(a),
        )
        for a in model
    ]
    assert got == meant


def test_it_never_gives_two_things_one_lwn_id(archive: Generated) -> None:
    # A missing id reads as 0, which breaks both the order and the uniqueness below.
    editions = sorted((str(page.date), page.lwn_id or 0) for page, _ in archive.of_kind("edition"))
    ids = [lwn_id for _, lwn_id in editions]
    assert ids == sorted(ids), "edition ids grow with time"
    for page, _ in archive.of_kind("article"):
        ids.append(page.items[0].lwn_id or 0)
        ids.extend(comment.lwn_id for comment in page.comments)
    ids.extend(page.lwn_id or 0 for page, _ in archive.of_kind("subscription_required"))
    assert len(ids) == len(set(ids))
    assert 0 < archive.manifest["deepest_comment"] <= shape.MAX_DEPTH  # type: ignore[operator]
