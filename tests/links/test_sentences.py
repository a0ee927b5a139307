"""The sentence kept with each mention."""

from __future__ import annotations

from articles.links.sentences import MAX_SENTENCE, sentence_at


def around(text: str, needle: str) -> str:
    start = text.index(needle)
    return sentence_at(text, start, start + len(needle))


def test_it_cuts_at_sentence_ends_but_not_inside_identifiers() -> None:
    text = "Linux 5.8 is out. The memory.swap.high knob, e.g. for tmpfs, arrived. Next."
    assert around(text, "memory.swap.high") == (
        "The memory.swap.high knob, e.g. for tmpfs, arrived."
    )


def test_it_treats_every_line_as_its_own_sentence() -> None:
    text = "Title with CAP_BPF\nBody text without a full stop\n#define CAP_BPF 39"
    assert around(text, "Body") == "Body text without a full stop"
    assert around(text, "#define") == "#define CAP_BPF 39"


def test_it_clips_a_long_sentence_around_the_match() -> None:
    text = "word " * 200 + "faccessat2() " + "word " * 200
    sentence = around(text, "faccessat2()")
    assert "faccessat2()" in sentence
    assert len(sentence) <= MAX_SENTENCE + 2
    assert sentence.startswith("…")
    assert sentence.endswith("…")
