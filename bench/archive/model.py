"""The in-memory model of one edition: what the page writers render and what the
tests compare a parse against. One edition at a time is ever held in memory."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import shape, text

# (login, full name, first year, last year): who writes features and posts briefs.
STAFF = (
    ("corbet", "Jonathan Corbet", 1998, 2100),
    ("ris", "Rebecca Sobol", 1998, 2020),
    ("jake", "Jake Edge", 2007, 2100),
    ("n8willis", "Nathan Willis", 2010, 2017),
    ("daroc", "Daroc Alden", 2023, 2100),
    ("jzb", "Joe Brockmeier", 2023, 2100),
)
BRIEF_SECTIONS = ("Security", "Kernel development", "Distributions", "Development")
MERGE_GROUPS = (
    "Architecture-specific",
    "Core kernel",
    "Filesystems and block I/O",
    "Hardware support",
    "Miscellaneous",
    "Networking",
    "Security-related",
    "Internal kernel changes",
)
HARDWARE_CATEGORIES = (
    "Clock",
    "Graphics",
    "Hardware monitoring",
    "Industrial I/O",
    "Input",
    "Media",
    "Miscellaneous",
    "Networking",
    "Pin control",
    "Power",
    "Sound",
    "USB",
    "PCI",
)
DEVICE_NOUNS = (
    "panels",
    "temperature sensors",
    "PHYs",
    "audio codecs",
    "voltage regulators",
    "clock controllers",
    "touchscreen controllers",
    "image sensors",
    "GPIO expanders",
    "wireless adapters",
    "SPI controllers",
    "battery chargers",
    "DMA engines",
)
# Non-ASCII words that a page's charset must carry (iso-8859-1 before 2010).
ACCENTS = ("café", "naïve", "résumé", "façade", "\u00d7", "\u00bd")


@dataclass(slots=True)
class Comment:
    lwn_id: int
    parent: int | None  # index of the parent in the thread, None at the top
    depth: int
    title: str
    author: str
    role: str
    user_no: int
    posted_at: dt.datetime
    body: list[str]
    children: list[int] = field(default_factory=list)


@dataclass(slots=True)
class MergeWindow:
    version: str
    part: int
    groups: list[tuple[str, list[str]]]  # (heading, item HTML); hardware items included
    hardware: list[tuple[str, list[str]]]  # (category, device names)


@dataclass(slots=True)
class Article:
    lwn_id: int
    kind: str  # feature, guest, brief
    title: str
    author: str  # full name
    login: str  # who posted it (briefs, home page)
    date: dt.date
    section: str  # the bigpage section as the parser reports it
    body: str
    comments: list[Comment]
    merge_window: MergeWindow | None = None
    subscriber_only: bool = False

    @property
    def year(self) -> int:
        return self.date.year


@dataclass(slots=True)
class Edition:
    lwn_id: int
    date: dt.date
    articles: list[Article]


class People:
    """Authors and commenters, fixed for a seed."""

    def __init__(self, seed: int, commenters: int) -> None:
        rng = random.Random(f"{seed}:people")
        self.guests = [
            f"{text.proper_name(rng)} {text.proper_name(rng)}" for _ in range(shape.GUEST_AUTHORS)
        ]
        self.commenters = [
            text.proper_name(rng).lower()[:10] + str(rng.randrange(100)) for _ in range(commenters)
        ]

    def staff(self, year: int) -> list[tuple[str, str]]:
        return [(login, name) for login, name, first, last in STAFF if first <= year <= last]

    def commenter(self, rng: random.Random) -> tuple[str, int]:
        # Cubing skews the pick: a few posters write much of every thread.
        index = int(len(self.commenters) * rng.random() ** 3)
        return self.commenters[index], 1000 + index * 7


class Ids:
    """LWN ids: one counter for editions, articles and comments, so ids never collide
    and grow with time."""

    def __init__(self, stride: int) -> None:
        self.stride = stride
        self.last = shape.FIRST_ID

    def next(self) -> int:
        self.last += self.stride
        return self.last


def build_edition(
    *,
    seed: int,
    week: int,
    ids: Ids,
    people: People,
    merge_windows: list[tuple[str, int]],
) -> Edition:
    """The model of the edition of *week*: its items and their threads."""
    rng = random.Random(f"{seed}:edition:{week}")
    date = shape.edition_date(week)
    edition_id = ids.next()
    staff = people.staff(date.year)
    accent = rng.choice(ACCENTS)
    articles: list[Article] = []
    modern_sections = date.year >= 2017

    def new(kind: str, section: str, title: str, author: str, login: str, body: str) -> Article:
        day = date - dt.timedelta(days=rng.randint(1, 6) if kind != "brief" else rng.randint(0, 6))
        article = Article(ids.next(), kind, title, author, login, day, section, body, [])
        articles.append(article)
        return article

    for _ in range(rng.randint(*shape.FEATURES_PER_EDITION)):
        login, name = rng.choice(staff)
        new("feature", "Front page", text.title(rng), name, login, _feature_body(rng, accent))
    for _ in range(rng.randint(*shape.GUESTS_PER_EDITION)):
        new(
            "guest",
            "Front page",
            text.title(rng),
            rng.choice(people.guests),
            "corbet",
            _feature_body(rng, accent),
        )
    for version, part in merge_windows:
        window = _merge_window(rng, version, part)
        title = f"{version} Merge window, part {part}"
        article = new(
            "feature", "Front page", title, "Jonathan Corbet", "corbet", _merge_body(rng, window)
        )
        article.merge_window = window
    for i in range(rng.randint(*shape.BRIEFS_PER_EDITION)):
        login, name = rng.choice(staff)
        if i % 6 == 5:
            section = "Announcements"
        else:
            sub = BRIEF_SECTIONS[i % 6 % 4]
            section = f"Brief items: {sub}" if modern_sections else f"{sub}: Brief items"
        body = "".join(
            f"<p>{text.paragraph(rng, sentences=(1, 3), accent=accent)}</p>\n"
            for _ in range(rng.randint(1, 2))
        )
        new("brief", section, text.title(rng), name, login, body)
    # Briefs of one section sit together on the page, as the parser will read them.
    order = {"Front page": 0, "Announcements": 9}
    articles.sort(key=lambda a: (order.get(a.section, 1 + _brief_rank(a.section)), a.lwn_id))
    today = shape.LAST_EDITION
    for article in articles:
        article.subscriber_only = article.kind != "brief" and (today - article.date).days < 7
        article.comments = _thread(rng, article, ids, people)
    return Edition(edition_id, date, articles)


def _brief_rank(section: str) -> int:
    for rank, name in enumerate(BRIEF_SECTIONS):
        if name in section:
            return rank
    return 0


def _feature_body(rng: random.Random, accent: str) -> str:
    parts = []
    for index in range(rng.randint(4, 9)):
        if index and rng.random() < 0.25:
            parts.append(f"<h4>{text.title(rng)}</h4>\n")
        parts.append(f"<p>{text.paragraph(rng, accent=accent)}</p>\n")
    return "".join(parts)


def _device(rng: random.Random) -> str:
    letters = "ABCDEFGHKLMNPRSTVX"
    model = f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(10, 9999)}"
    return f"{text.proper_name(rng)} {model} {rng.choice(DEVICE_NOUNS)}"


def _merge_window(rng: random.Random, version: str, part: int) -> MergeWindow:
    total = rng.randint(*shape.MERGE_ITEMS)
    categories = sorted(rng.sample(HARDWARE_CATEGORIES, rng.randint(*shape.HARDWARE_CATEGORIES)))
    hardware = [
        (category, [_device(rng) for _ in range(rng.randint(*shape.DEVICES_PER_CATEGORY))])
        for category in categories
    ]
    others = [g for g in MERGE_GROUPS if g != "Hardware support"]
    counts = dict.fromkeys(others, 1)
    for _ in range(max(0, total - len(categories) - len(others))):
        counts[rng.choice(others)] += 1
    groups: list[tuple[str, list[str]]] = []
    for heading in MERGE_GROUPS:
        if heading == "Hardware support":
            items = [f"<b>{c}</b>: {_device_list(devices)}" for c, devices in hardware]
        else:
            items = [text.paragraph(rng, sentences=(1, 2)) for _ in range(counts[heading])]
        groups.append((heading, items))
    return MergeWindow(version, part, groups, hardware)


def _device_list(devices: list[str]) -> str:
    if len(devices) == 1:
        return devices[0] + "."
    return ", ".join(devices[:-1]) + ", and " + devices[-1] + "."


def _merge_body(rng: random.Random, window: MergeWindow) -> str:
    parts = [
        f"<p>{text.paragraph(rng, sentences=(2, 3))}</p>\n",
        "<p>Some of the most significant changes pulled into the mainline so far are:</p>\n",
    ]
    for heading, items in window.groups:
        parts.append(f"<h4>{heading}</h4>\n<ul>\n")
        parts.extend(f"<li>{item}</li>\n" for item in items)
        parts.append("</ul>\n")
    parts.append(f"<p>{text.paragraph(rng, sentences=(1, 2))}</p>\n")
    return "".join(parts)


def _thread(rng: random.Random, article: Article, ids: Ids, people: People) -> list[Comment]:
    """A comment thread in posting order: each comment answers an earlier one (or
    the article), so ids and times grow down the list."""
    size = shape.thread_size(rng, article.kind)
    start = dt.datetime.combine(
        article.date, dt.time(rng.randint(8, 20), rng.randint(0, 59)), dt.UTC
    )
    # The whole thread fits in the six days after the article.
    step = max(1, 6 * 24 * 60 // max(1, size))
    minutes = 0
    comments: list[Comment] = []
    arguing = False
    for index in range(size):
        minutes += rng.randint(1, step)
        parent: int | None = None
        if arguing:
            # A back-and-forth: each reply answers the one before, so long threads
            # reach the depth cap.
            parent = index - 1
            arguing = rng.random() < shape.ARGUMENT_GOES_ON
        elif comments and rng.random() > 0.3:
            parent = index - 1 if rng.random() < 0.45 else rng.randrange(index)
            arguing = rng.random() < shape.ARGUMENT_STARTS
        if parent is not None:
            while comments[parent].depth >= shape.MAX_DEPTH:
                parent = comments[parent].parent
                assert parent is not None
        depth = 0 if parent is None else comments[parent].depth + 1
        if parent is not None and rng.random() < 0.8:
            title = comments[parent].title
        else:
            title = text.title(rng)
        if rng.random() < 0.02:
            author, user_no, role = "corbet", 1, "editor"
        else:
            author, user_no = people.commenter(rng)
            roll = rng.random()
            role = "guest" if roll < 0.12 else "subscriber"
            if roll > 0.95 and article.year >= 2024:
                role = "\u272d supporter \u272d"
        body = [text.paragraph(rng, sentences=(1, 3)) for _ in range(rng.randint(1, 3))]
        comment = Comment(
            ids.next(),
            parent,
            depth,
            title,
            author,
            role,
            user_no,
            start + dt.timedelta(minutes=minutes),
            body,
        )
        if parent is not None:
            comments[parent].children.append(index)
        comments.append(comment)
    return comments
