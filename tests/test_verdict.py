"""decide(): verdicts, messages and time awareness on hand-made evidence (no model needed)."""
from __future__ import annotations

from factlint.compare import find_conflicts
from factlint.config import CheckSettings
from factlint.models import Evidence
from factlint.verdict import claim_time, decide

S = CheckSettings()


def ev(sentence: str, sim: float, published: str | None, title: str = "Iraqi MPs Back Resolution to End the Presence of Any US Soldiers", doc: str = "d1") -> Evidence:
    return Evidence(doc, title, published, "", sentence, (0, len(sentence)), sim)


def test_contradiction_message_names_article_and_date():
    claim = "Some 5,000 US troops still remain inside the country."
    e = ev("Some 2,500 US troops still remain inside the country.", 0.95, "2020-01-05")
    res = decide(claim, [(e, find_conflicts(claim, e.sentence))], S)
    assert res.verdict == "contradicted"
    (f,) = res.findings
    assert f.message == "claim says Some 5,000; 'Iraqi MPs Back Resolution to End the Presence o…' (2020-01-05) says Some 2,500"
    assert claim[f.claim_span[0]:f.claim_span[1]] == "Some 5,000"


def test_paraphrase_is_supported_and_quiet():
    claim = "About 5,000 American troops remain in the country."
    e = ev("Some 5,000 US soldiers remain in the country.", 0.9, "2020-01-05")
    res = decide(claim, [(e, find_conflicts(claim, e.sentence))], S)
    assert res.verdict == "supported" and res.findings == []


def test_newer_evidence_ranked_first():
    claim = "Some 9,000 US troops remain in Iraq."
    old = ev("Some 5,000 US troops remain in Iraq.", 0.93, "2020-01-05", doc="old")
    new = ev("Some 2,500 US troops remain in Iraq.", 0.93, "2022-01-10", doc="new")
    res = decide(claim, [(old, find_conflicts(claim, old.sentence)), (new, find_conflicts(claim, new.sentence))], S)
    assert res.verdict == "contradicted"
    assert [f.evidence.doc_id for f in res.findings] == ["new", "old"]


def test_a_later_report_that_differs_contradicts_even_when_an_older_one_agrees():
    # The verdict rule: a conflict with a comparable sentence never ends in "supported".
    claim = "Some 5,000 US troops remain in Iraq."
    same = ev("Some 5,000 US troops remain in Iraq.", 0.99, "2020-01-05", doc="old")
    later = ev("Some 2,500 US troops remain in Iraq.", 0.9, "2022-01-10", doc="new")
    res = decide(claim, [(same, find_conflicts(claim, same.sentence)),
                         (later, find_conflicts(claim, later.sentence))], S)
    assert res.verdict == "contradicted"
    (f,) = res.findings
    assert f.severity == "contradiction" and "figures differ over time" in f.message and "(2020-01-05)" in f.message


def test_an_older_figure_superseded_by_a_newer_report_is_a_note():
    claim = "Some 2,500 US troops remain in Iraq."
    old = ev("Some 5,000 US troops remain in Iraq.", 0.9, "2020-01-05", doc="old")
    new = ev("Some 2,500 US troops remain in Iraq.", 0.99, "2022-01-10", doc="new")
    res = decide(claim, [(old, find_conflicts(claim, old.sentence)), (new, find_conflicts(claim, new.sentence))], S)
    assert res.verdict == "supported"
    (f,) = res.findings
    assert f.severity == "note" and "superseded" in f.message


def test_a_closer_agreeing_sentence_does_not_outvote_a_contradiction():
    claim = "The resolution was passed unanimously by parliament."
    agree = ev("The resolution was passed by parliament on Sunday.", 0.95, "2020-01-05", doc="a")
    against = ev("The resolution was passed anonymously by parliament.", 0.8, "2020-01-05", doc="b")
    res = decide(claim, [(agree, find_conflicts(claim, agree.sentence)),
                         (against, find_conflicts(claim, against.sentence))], S)
    assert res.verdict == "contradicted"


def test_claim_with_its_own_time_is_checked_against_that_time():
    claim = "In January 2020, some 5,000 US troops were in Iraq."
    later = ev("Some 2,500 US troops were in Iraq.", 0.8, "2022-01-10")
    res = decide(claim, [(later, find_conflicts(claim, later.sentence))], S)
    assert res.verdict != "contradicted"
    assert all(f.severity == "note" and "later report" in f.message for f in res.findings)
    same_time = ev("Some 2,500 US troops were in Iraq.", 0.8, "2020-01-20")
    res = decide(claim, [(same_time, find_conflicts(claim, same_time.sentence))], S)
    assert res.verdict == "contradicted"


def test_claim_time():
    assert claim_time("The strike came in January 2020.") is not None
    assert claim_time("The strike came before 2020.") is None
    assert claim_time("The strike came on Monday.") is None


# --- what to write instead ---------------------------------------------------------------------
def _replacements(claim: str, *evidence: Evidence) -> list[tuple[str, ...]]:
    res = decide(claim, [(e, find_conflicts(claim, e.sentence)) for e in evidence], S)
    return [f.replacements for f in res.findings if f.severity == "contradiction"]


def test_replacements_where_the_archive_holds_one_value():
    claim = "Some 9,000 US troops remain in Iraq."
    a = ev("Some 5,000 US troops remain in Iraq.", 0.93, "2020-01-05", doc="a")
    b = ev("some  5,000 US troops remain in Iraq.", 0.92, "2021-01-05", doc="b")
    assert _replacements(claim, a, b) == [("Some 5,000",), ("Some 5,000",)]  # it starts the claim: capitalized
    # two values in the archive: none is the one to write
    c = ev("Some 2,500 US troops remain in Iraq.", 0.92, "2022-01-05", doc="c")
    assert _replacements(claim, a, c) == [(), ()]
    # an article that agrees with the claim: the archive holds the claim's value too
    agrees = ev("Some 9,000 US troops remain in Iraq, officials said.", 0.95, None, doc="d")
    assert _replacements(claim, a, agrees) == [()]


def test_no_replacement_for_a_negation_or_a_confusable_word():
    claim = "The resolution was passed unanimously by parliament."
    assert _replacements(claim, ev("The resolution was passed anonymously by parliament.", 0.95, None)) == [()]
    claim = "The resolution was passed by parliament."
    assert _replacements(claim, ev("The resolution was not passed by parliament.", 0.95, None)) == [()]
