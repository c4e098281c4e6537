"""Passages quoted as evidence of a match read as text (issue 16, readable evidence):
whole sentences or bullets, no mid-word cuts, no Markdown marks."""

from __future__ import annotations

from matching.scoring.explain import readable_passage

TEXT = (
    "Dana Reyes\n## Summary\nFlight dispatcher with **ten years** on the desk. Planned 40 "
    "daily flights and briefed crews.\n- Built the `weather` briefing tool\n"
    "- Trained six new dispatchers on the night shift"
)


def test_a_window_that_opens_mid_sentence_is_quoted_from_the_next_sentence():
    start = TEXT.index("years** on the desk")
    assert readable_passage(TEXT, start, len(TEXT)) == (
        "Planned 40 daily flights and briefed crews. • Built the weather briefing tool "
        "• Trained six new dispatchers on the night shift"
    )


def test_markdown_marks_are_dropped_and_a_long_passage_ends_with_a_sentence():
    assert readable_passage(TEXT, 0, len(TEXT), length=130) == (
        "Dana Reyes Summary Flight dispatcher with ten years on the desk. "
        "Planned 40 daily flights and briefed crews."
    )


def test_without_a_sentence_end_near_the_cut_is_between_words():
    text = "word " * 100
    passage = readable_passage(text, 3, 400, length=50)
    assert passage.endswith("word…") and not passage.startswith("d ")
    assert all(w == "word" for w in passage.rstrip("…").split())
