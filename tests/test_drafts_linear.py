"""A draft is user input (POST /v1/check/document, `factlint check`): reading its prose must take
time linear in its length, whatever it holds. Pathological drafts of growing size are timed and
the growth is asserted as a ratio (4x the text: about 4x the time; a quadratic step would give
about 16x), never as a wall time. The old Markdown patterns took 120 s on "_a " * 66667."""
from __future__ import annotations

import time

import pytest

from conftest import SEEDS, make_settings
from factlint.drafts import draft_sentences

SMALL, GROWTH = 5_000, 4  # characters of the smaller draft; the larger one is GROWTH times longer
LINEAR_AT_MOST = 2.5 * GROWTH  # a quadratic step would show GROWTH ** 2 = 16
FLOOR = 0.004  # seconds: below it, a time is timer and scheduler noise, not growth
PATHOLOGICAL = {  # each repeated to the draft's length: what made a pattern backtrack, or a parser rescan
    "markdown": ["_a ", "**a ", "``a ` ", "<a ", '<a b="', "[a ", "[a](", "![a ", "[a]: ", "\\*", "&#", "> ",
                 "- ", "| a ", "<http://a ", "<!--", "<a<"],
    "html": ["<a", "<a ", "<a<", "<!--", "</", "<![", "<?", "&#", "<b>a", "<script>", "<a b='"],
    "text": ["( a", "[", "a.", "\n", "\"a ", "Mr. ", "\u2028"],
}


def seconds(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return max(time.perf_counter() - t, FLOOR)


def growth(fn, unit: str) -> float:
    """How many times longer GROWTH times the text takes. Measured again once when it looks too
    high: a neighbour's burst of work can slow one measurement, never both the same way."""
    small = unit * (SMALL // len(unit))
    fn(small)  # warm up (first calls of the encoder, caches)
    ratio = seconds(fn, small * GROWTH) / seconds(fn, small)
    if ratio >= LINEAR_AT_MOST:
        ratio = min(ratio, seconds(fn, small * GROWTH) / seconds(fn, small))
    return ratio


@pytest.mark.parametrize("fmt,unit", [(f, u) for f, units in PATHOLOGICAL.items() for u in units],
                         ids=[f"{f}-{u!r}" for f, units in PATHOLOGICAL.items() for u in units])
def test_reading_a_draft_grows_linearly(fmt, unit):
    ratio = growth(lambda text: draft_sentences(text, fmt), unit)
    assert ratio < LINEAR_AT_MOST, f"{fmt} draft of {unit!r}: 4x the text took {ratio:.1f}x the time"


def test_the_reviews_markdown_draft_is_read_in_linear_time():
    """The review's request: {"text": "_a " * 66667, "format": "markdown"} (200 KB)."""
    ratio = growth(lambda text: draft_sentences(text, "markdown"), "_a ")
    assert ratio < LINEAR_AT_MOST
    draft_sentences("_a " * 66667, "markdown")  # and it finishes (it took 120 s before)


@pytest.fixture(scope="module")
def local_backend(tmp_path_factory, embedder):
    """`factlint check`'s local backend over the seeds (a real index and checker). Its embedding
    cache is off: it keeps short sentences only, which would time the small drafts' second run
    without the encoder and the large ones' with it."""
    from factlint.lint.backends import LocalBackend
    from factlint.workspace import Workspace

    settings = make_settings(tmp_path_factory.mktemp("lint-linear") / "data", model={"cache_size": 0})
    Workspace(settings, embedder=embedder).add_paths([SEEDS])
    return LocalBackend(settings)


@pytest.mark.parametrize("unit", ["_a ", "`a ", "<a<"])
def test_factlint_check_on_a_markdown_file_grows_linearly(local_backend, unit):
    """The whole lint of a .md draft (prose, suppression comments, checks, findings), as `factlint
    check` runs it."""
    from factlint.lint.run import Draft, lint

    ratio = growth(lambda text: lint([Draft("draft.md", text, "markdown")], local_backend), unit)
    assert ratio < LINEAR_AT_MOST, f"factlint check of {unit!r}: 4x the text took {ratio:.1f}x the time"
