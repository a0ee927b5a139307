"""The analyzers keep kernel identifiers whole and stem ordinary English."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.search.analysis import IDENTIFIER, PROSE, identifier_form, prose_terms

# No search runs here. The analyzers are whoosh's; identifier_form also decides which
# words the postgres backend searches as identifiers (its SQL twin: test_pg.py).
pytestmark = pytest.mark.backend_independent

TEXT = (
    "io_uring gained tee(); faccessat2() adds flags. CAP_PERFMON, CONFIG_BPF_SYSCALL=y and "
    "memory.swap.high. See /proc/pid/maps. The kernel's capabilities."
)


def identifier_terms(text: str) -> list[str]:
    return [token.text for token in IDENTIFIER(text)]


def test_it_keeps_identifiers_whole_lowercased_and_unstemmed() -> None:
    assert identifier_terms(TEXT) == [
        "io_uring",
        "tee",
        "faccessat2",
        "cap_perfmon",
        "config_bpf_syscall",
        "memory.swap.high",
        "/proc/pid/maps",
    ]


def test_it_stems_prose_but_never_splits_an_identifier() -> None:
    terms = prose_terms("capabilities io_uring faccessat2 Jürgen file-backed")
    assert terms[0] == "capabl"
    assert "faccessat2" in terms  # not stemmed away
    assert not {"io", "uring"} & set(terms)  # not split
    assert "jurgen" in terms  # accents folded
    assert terms[-2:] == ["file", "back"]


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("faccessat2", "faccessat2"),
        ("faccessat2()", "faccessat2"),
        ("FACCESSAT2", "faccessat2"),
        ("io_uring", "io_uring"),
        ("IO_URING", "io_uring"),
        ("CAP_PERFMON", "cap_perfmon"),
        ("CONFIG_BPF_SYSCALL", "config_bpf_syscall"),
        ("memory.swap.high", "memory.swap.high"),
        ("memory.swap.high.", "memory.swap.high"),
        ("/proc/pid/maps", "/proc/pid/maps"),
        ("tee()", "tee"),
        ("kernel", None),
        ("DAX", None),
        ("5.8", None),
        ("x86-64", None),
    ],
)
def test_it_recognises_what_reads_as_an_identifier(word: str, form: str | None) -> None:
    assert identifier_form(word) == form


@given(
    st.from_regex(r"[a-z][a-z0-9]{0,8}_[a-z0-9_]{1,12}", fullmatch=True),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_it_indexes_any_snake_case_identifier_as_one_term(name: str, case: object) -> None:
    written = case(name)  # type: ignore[operator]
    assert identifier_terms(f"the {written}() call") == [name]
    assert identifier_form(written) == name


def test_it_indexes_a_dotted_name_whole_and_by_its_parts_at_one_position() -> None:
    tokens = PROSE("set vm.swappiness lower", positions=True, mode="index")
    indexed = [(t.text, t.pos) for t in tokens]
    assert indexed == [("set", 0), ("vm.swappi", 1), ("vm", 1), ("swappi", 1), ("lower", 2)]
    # A query keeps the name whole: "vm.swappiness" asks for the knob, not for "vm".
    assert prose_terms("vm.swappiness") == ["vm.swappi"]


def test_it_indexes_a_snake_case_name_whole_and_by_its_words_at_one_position() -> None:
    tokens = PROSE("see vm.overcommit_memory", positions=True, mode="index")
    assert [(t.text, t.pos) for t in tokens] == [
        ("see", 0),
        ("vm.overcommit_memori", 1),
        ("vm", 1),
        ("overcommit_memori", 1),
        ("overcommit", 1),
        ("memori", 1),
    ]
    assert prose_terms("overcommit_memory") == ["overcommit_memori"]
