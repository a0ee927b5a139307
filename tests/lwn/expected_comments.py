"""The comment threads the parser must read from the fixtures, as a table (see ``expected``)."""

from __future__ import annotations

import datetime as dt

from tests.lwn.expected import CAPABILITIES, DETAILS

# --- comments: fixture -> (lwn_id, parent_id, depth, title, author, role, posted_at) ---

Comment = tuple[int, int | None, int, str, str, str, dt.datetime]


def _june_2020(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2020, 6, day, hour, minute, tzinfo=dt.UTC)


def _jan_23_2025(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2025, 1, 23, hour, minute, tzinfo=dt.UTC)


_j, _k = _june_2020, _jan_23_2025
COMMENTS: dict[str, list[Comment]] = {
    # In page order. Authors are login names, exactly as shown.
    CAPABILITIES: [
        (821845, None, 0, "Why not fix CAP_SYS_ADMIN?", "kmartens", "subscriber", _j(8, 15, 12)),
        (821851, 821845, 1, "Why not fix CAP_SYS_ADMIN?", "corbet", "editor", _j(8, 15, 40)),
        (821868, 821851, 2, "Compatibility forever", "kmartens", "subscriber", _j(8, 16, 2)),
        (821860, 821845, 1, "Why not fix CAP_SYS_ADMIN?", "sjuergens", "guest", _j(8, 15, 55)),
        (821870, None, 0, "CAP_BPF alone is not much", "olivef", "subscriber", _j(8, 18, 4)),
        (821874, 821870, 1, "CAP_BPF alone is not much", "hvolkmer", "subscriber", _j(8, 18, 31)),
        (821880, 821874, 2, "Tracing in containers", "olivef", "subscriber", _j(8, 19, 10)),
        (821893, 821874, 2, "Tracing in containers", "ptrchaser", "subscriber", _j(8, 20, 47)),
        (821902, None, 0, "No biscuit", "rgbwhite", "subscriber", _j(8, 21, 15)),
        (821905, 821902, 1, "No biscuit", "jrw", "subscriber", _j(8, 22, 3)),
        (821941, None, 0, "CAP_CHECKPOINT as well?", "dkarol", "subscriber", _j(9, 7, 26)),
        (821950, 821941, 1, "CAP_CHECKPOINT as well?", "corbet", "editor", _j(9, 13, 58)),
        (821977, None, 0, "Counting capabilities", "nhaaland", "subscriber", _j(9, 16, 45)),
        (821990, 821977, 1, "Counting capabilities", "capfan", "subscriber", _j(10, 2, 9)),
    ],
    DETAILS: [
        (1006210, None, 0, "Cheaper than PROT_NONE", "mpadlock", "supporter", _k(4, 25)),
        (1006214, 1006210, 1, "Cheaper than PROT_NONE", "vbhat", "subscriber", _k(8, 2)),
        (1006231, 1006214, 2, "Visibility", "mpadlock", "supporter", _k(9, 47)),
        (1006245, 1006231, 3, "Visibility", "corbet", "editor", _k(14, 30)),
        (1006218, 1006210, 1, "Cheaper than PROT_NONE", "anonreader", "guest", _k(10, 15)),
        (1006260, None, 0, "Allocator usage", "rdiez", "subscriber", _k(17, 5)),
    ],
}
