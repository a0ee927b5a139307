"""Precision and recall of syscall and capability links over our fixture pages.

All seven fixture pages are imported and linked, then every stored mention
of a syscall or capability is compared with the table below: what a reader
would say each text names. Texts missing from the table name none. The
labels are honest, so some are out of reach by design: "connect" and
"splice" written bare (they are English words, see syscall-words.txt), and
CAP_RESTORE / CAP_CHECKPOINT, capabilities proposed in the article but not
(yet) in the kernel's list.
"""

from __future__ import annotations

import pytest

from articles.models import ImportRun, Mention, MentionStatus

S, C = "syscall", "capability"


def sys(*names: str) -> set[tuple[str, str]]:
    return {(S, n) for n in names}


def cap(*names: str) -> set[tuple[str, str]]:
    return {(C, n) for n in names}


NEW_CAPS = ("CAP_PERFMON", "CAP_BPF")
# (type, key) -> the syscalls and capabilities the text names.
# Articles by LWN id; merge-window items by (group, start of text); comments by LWN id.
EXPECTED: dict[tuple[str, object], set[tuple[str, str]]] = {
    ("article", 822256): sys(
        "seccomp", "clone3", "openat2", "mmap", "ioctl", "bpf", "connect", "sendmsg", "splice"
    ),
    ("article", 821534): sys("faccessat2", "tee", "setns", "statx")
    | cap(*NEW_CAPS, "CAP_SYS_ADMIN", "CAP_NET_ADMIN"),
    ("article", 821729): sys("bpf", "clone3")
    | cap(*NEW_CAPS, "CAP_AUDIT_READ", "CAP_SYS_ADMIN", "CAP_NET_ADMIN")
    | cap("CAP_RESTORE", "CAP_CHECKPOINT"),  # proposed, not in the kernel's list
    ("article", 1006127): sys("mmap", "madvise", "mlock", "userfaultfd"),
    ("merge", ("Core kernel", "A new system call")): sys("faccessat2"),
    ("merge", ("Core kernel", "io_uring has gained")): sys("tee"),
    ("merge", ("Core kernel", "setns()")): sys("setns"),
    ("merge", ("Filesystems and block I/O", "A new statx()")): sys("statx"),
    ("merge", ("Security-related", "A new capability")): cap("CAP_PERFMON"),
    ("merge", ("Security-related", "Some BPF operations")): cap(
        *NEW_CAPS, "CAP_SYS_ADMIN", "CAP_NET_ADMIN"
    ),
    ("comment", 821845): cap("CAP_SYS_ADMIN"),
    ("comment", 821851): cap("CAP_SYS_ADMIN"),
    ("comment", 821868): cap("CAP_SYS_ADMIN"),
    ("comment", 821860): cap(*NEW_CAPS, "CAP_SYS_ADMIN"),
    ("comment", 821870): cap(*NEW_CAPS, "CAP_NET_ADMIN", "CAP_SYS_ADMIN"),
    ("comment", 821874): cap(*NEW_CAPS),
    ("comment", 821880): cap("CAP_PERFMON"),
    ("comment", 821941): cap("CAP_CHECKPOINT", "CAP_RESTORE"),
    ("comment", 821950): cap("CAP_CHECKPOINT"),
    ("comment", 821977): cap(*NEW_CAPS, "CAP_AUDIT_READ"),
    ("comment", 821990): cap(*NEW_CAPS),  # and CAP_LAST_CAP, which is not a capability
    ("comment", 1006260): sys("mmap", "madvise"),
}
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.80


def _key(mention: Mention) -> tuple[str, object]:
    if mention.article is not None:
        return "article", mention.article.lwn_id or mention.article.title
    if mention.merge_item is not None:
        item = mention.merge_item
        starts = [k for kind, k in EXPECTED if kind == "merge" and isinstance(k, tuple)]
        for group, start in starts:
            if item.group == group and item.text.startswith(start):
                return "merge", (group, start)
        return "merge", (item.group, item.text[:40])
    if mention.comment is not None:
        return "comment", mention.comment.lwn_id
    return "hardware", mention.hardware_id


def _score(kind: str) -> tuple[float, float, int, int, int]:
    found = {
        (_key(m), (m.entity.kind, m.entity.name))
        for m in Mention.objects.filter(entity__kind=kind)
        .exclude(status=MentionStatus.REJECTED)
        .select_related("entity", "article", "merge_item", "comment")
    }
    expected = {(text, entity) for text, ents in EXPECTED.items() for entity in ents}
    expected = {(text, entity) for text, entity in expected if entity[0] == kind}
    true_positives = len(found & expected)
    precision = true_positives / len(found) if found else 1.0
    recall = true_positives / len(expected)
    return precision, recall, true_positives, len(found), len(expected)


@pytest.mark.parametrize("kind", [S, C])
def test_it_links_syscalls_and_capabilities_precisely_with_a_sensible_recall(
    archive: dict[str, ImportRun], kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    precision, recall, hits, found, expected = _score(kind)
    with capsys.disabled():
        print(
            f"\n{kind}: precision {precision:.1%} ({hits}/{found}), "
            f"recall {recall:.1%} ({hits}/{expected})"
        )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
