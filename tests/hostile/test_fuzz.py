"""Property-based tests (hypothesis) of everything that reads outside input: text
extraction, normalisation, the token windows, and the training-file and hiring-history
parsers. Whatever comes in, only the documented error comes out, and never a hang: the
deadlines are generous (the machine may be busy), the product's own limits do the rest.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from matching.errors import EXTRACTION_MESSAGES, ExtractionError
from matching.intake.extraction import extract_text
from matching.texts import normalize_text
from training.datasets import parse_examples, parse_history
from training.errors import DatasetError

DEMO = Path(__file__).resolve().parent.parent.parent / "demo" / "resumes"
OUTCOMES = {"hired": 0.95, "rejected": 0.3}

# No example database: the suite leaves nothing in the working tree.
FAST = settings(max_examples=150, deadline=timedelta(seconds=5), database=None)
# Each PDF or DOCX example starts a reader process.
SLOW = settings(
    max_examples=40,
    deadline=timedelta(seconds=60),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Every code point, lone surrogates included: broken PDFs and JSON escapes produce them.
ANY_CHAR = st.characters(codec=None, categories=None)
NAMES = st.one_of(
    st.sampled_from(["cv.pdf", "cv.docx", "cv.txt", "cv.md", "cv", "CV.PDF", ".docx", "a.b.c"]),
    st.text(ANY_CHAR, max_size=40),
)


def _assert_clean(text: str) -> None:
    text.encode("utf-8")  # no lone surrogates: every database takes it
    assert "\x00" not in text
    assert text == text.strip()
    assert "\n\n\n" not in text and "\r" not in text


def _extract_or_documented_error(name: str, data: bytes) -> None:
    try:
        text = extract_text(name, data)
    except ExtractionError as exc:
        assert exc.code in EXTRACTION_MESSAGES
        assert exc.message.startswith(f"{name}: ")
        return
    assert text
    _assert_clean(text)


# --- extraction ------------------------------------------------------------------------


@FAST
@given(name=NAMES, data=st.binary(max_size=4096))
@example(name="cv.txt", data=b"\xff\xfe\x00\xd8")  # UTF-16 with a lone surrogate
@example(name="cv.txt", data=b"\xef\xbb\xbf")  # a BOM and nothing else
def test_extract_text_of_any_bytes_gives_text_or_a_documented_error(name, data):
    # Starting with a PDF or zip signature is rare in random bytes; the mutations below
    # feed the readers themselves.
    assume(b"%PDF-" not in data[:1024] and not data.startswith(b"PK\x03\x04"))
    _extract_or_documented_error(name, data)


def _mutations(paths: list[Path]) -> st.SearchStrategy[tuple[str, bytes]]:
    """Real demo files with bytes flipped, cut, spliced or repeated."""
    originals = [(p.name, p.read_bytes()) for p in paths]

    @st.composite
    def mutate(draw) -> tuple[str, bytes]:
        name, data = draw(st.sampled_from(originals))
        buf = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, max(len(buf) - 1, 0)))
            how = draw(st.sampled_from(["flip", "cut", "splice", "repeat", "zero"]))
            if how == "flip":
                buf[at] ^= 1 << draw(st.integers(0, 7))
            elif how == "cut":
                del buf[at:]
            elif how == "splice":
                buf[at:at] = draw(st.binary(min_size=1, max_size=64))
            elif how == "repeat":
                buf[at:at] = buf[at : at + draw(st.integers(1, 2048))] * draw(st.integers(2, 50))
            else:
                end = at + draw(st.integers(1, 512))
                buf[at:end] = bytes(len(buf[at:end]))
            if not buf:
                break
        return name, bytes(buf)

    return mutate()


@SLOW
@given(case=_mutations(sorted(DEMO.glob("*.pdf"))))
def test_mutated_pdfs_give_text_or_a_documented_error(case):
    _extract_or_documented_error(*case)


@SLOW
@given(case=_mutations(sorted(DEMO.glob("*.docx"))))
def test_mutated_docx_files_give_text_or_a_documented_error(case):
    _extract_or_documented_error(*case)


# --- normalisation -------------------------------------------------------------------------


@FAST
@given(text=st.text(ANY_CHAR, max_size=2000))
@example(text="e\u00ad\u0301")  # removing the soft hyphen brings the accent to the e
@example(text="\ud800 \udfff")
def test_normalize_text_is_clean_and_idempotent(text):
    once = normalize_text(text)
    _assert_clean(once)
    assert normalize_text(once) == once


@FAST
@given(
    text=st.text(st.sampled_from(" \t\n\r\u00a0\x00\x0bab\u00ad\u0301"), max_size=20000),
)
def test_normalize_text_of_long_whitespace_runs_stays_linear(text):
    # Runs of blanks without a newline are where a backtracking pattern would go
    # quadratic; the deadline would catch it.
    _assert_clean(normalize_text(text))


# --- token windows (the real tokenizer) ----------------------------------------------------


WEIRD = st.sampled_from(
    [
        "e" + "\u0301" * 5000,  # one letter with thousands of accents
        "\u200b\u200d\ufeff" * 3000,  # zero-width characters only
        "👩‍👩‍👧‍👦 " * 2000,  # emoji sequences
        "\u202eevil\u202c " * 1000,  # bidi overrides
        "a" * 100_000,  # one enormous word
        "汉字" * 20_000,  # a token per character
        "word " * 10_000,
    ]
)


@pytest.mark.integration
@settings(max_examples=60, deadline=timedelta(seconds=30), database=None)
@given(text=st.one_of(st.text(ANY_CHAR, max_size=3000), WEIRD))
def test_windows_are_ordered_in_bounds_and_cover_the_words(text):
    from matching.encoding.cache import get_encoder

    text = normalize_text(text)  # windows are cut from stored (normalised) text
    spans = get_encoder().windows(text)

    if not text:
        assert spans == []
        return
    for start, end in spans:
        assert 0 <= start <= end <= len(text)
    starts = [s for s, _ in spans]
    assert starts == sorted(starts)
    # Consecutive windows overlap or touch: no passage falls between two of them.
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start <= end
    if spans:
        assert not any(c.isalnum() for c in text[: spans[0][0]])
        assert not any(c.isalnum() for c in text[spans[-1][1] :])


# --- training files --------------------------------------------------------------------------

JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(ANY_CHAR, max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=30,
)
EXAMPLE_ROWS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "resume": JSONISH | st.text(ANY_CHAR, max_size=50),
            "job_description": JSONISH | st.text(ANY_CHAR, max_size=50),
            "score": JSONISH | st.floats(0, 1) | st.sampled_from(["0.5", "1e999", "nan"]),
            "predicted_score": JSONISH | st.floats(0, 1),
        },
    ),
    max_size=8,
)


def _assert_example_ok(parsed) -> None:
    assert parsed.resume and parsed.job
    parsed.resume.encode("utf-8")
    parsed.job.encode("utf-8")
    assert "\x00" not in parsed.resume + parsed.job
    assert 0.0 <= parsed.score <= 1.0


def _dump(value) -> str:
    # json.dumps refuses lone surrogates only with ensure_ascii=False; the default
    # escapes them, which is what a hostile file would contain.
    return json.dumps(value)


@FAST
@given(doc=st.one_of(JSONISH, EXAMPLE_ROWS, st.fixed_dictionaries({"examples": EXAMPLE_ROWS})))
def test_parse_examples_of_any_json_gives_examples_or_a_dataset_error(doc):
    try:
        examples = parse_examples(_dump(doc).encode(), name="t.json")
    except DatasetError as exc:
        assert str(exc).startswith("t.json")
        return
    for parsed in examples:
        _assert_example_ok(parsed)


@FAST
@given(raw=st.binary(max_size=2000) | st.text(ANY_CHAR, max_size=2000))
@example(raw=b"[" * 100_000)  # nesting deeper than the recursion limit
@example(raw=b'[{"resume": "r", "job_description": "j", "score": 1' + b"0" * 5000 + b"}]")
@example(raw='[{"resume": "a\\u0000b", "job_description": "j", "score": 0.5}]')
@example(raw='[{"resume": "\\ud800", "job_description": "j", "score": 0.5}]')
@example(raw=b'[{"resume": "r", "job_description": "j", "score": ' + b"9" * 400 + b"}]")
def test_parse_examples_of_any_bytes_gives_examples_or_a_dataset_error(raw):
    try:
        examples = parse_examples(raw, name="t.json")
    except DatasetError:
        return
    for parsed in examples:
        _assert_example_ok(parsed)


CSV_FIELD = st.text(ANY_CHAR.filter(lambda c: not "\ud800" <= c <= "\udfff"), max_size=40)


@st.composite
def _history_csv(draw) -> str:
    header = draw(
        st.sampled_from(
            [["resume", "job", "outcome"], ["resume", "job_description", "outcome"], ["x"]]
        )
        | st.lists(CSV_FIELD, max_size=4)
    )
    rows = draw(st.lists(st.lists(CSV_FIELD | st.sampled_from(list(OUTCOMES)), max_size=5)))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@FAST
@given(raw=st.one_of(_history_csv(), st.text(ANY_CHAR, max_size=2000), st.binary(max_size=2000)))
@example(raw="resume,job,outcome\n" + '"' + "x" * 200_000 + '",job,hired\n')  # csv's field cap
@example(raw="resume,job,outcome\na\x00b,job,hired\n")
@example(raw='resume,job,outcome\n"unterminated,job,hired\n')
@example(raw="[" * 100_000)
@example(raw='[{"resume": "r", "job": "j", "outcome": {"x": 1}}]')
def test_parse_history_of_any_text_gives_examples_or_a_dataset_error(raw):
    try:
        examples = parse_history(raw, name="h.csv", outcome_scores=OUTCOMES)
    except DatasetError as exc:
        assert str(exc).startswith("h.csv")
        return
    for parsed in examples:
        _assert_example_ok(parsed)
