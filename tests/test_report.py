"""The corpus's own contradictions (service/factlint/report.py): on the seeds and on small made-up corpora."""
from __future__ import annotations

import pytest

from factlint.models import Document
from factlint.report import build_report, latest_mentioned_date, mentions


@pytest.fixture(scope="module")
def seed_report(seeded):
    return build_report(seeded, seeded.settings.check)


def _fact_with(report, *values):
    return next(f for f in report.facts if set(values) <= set(f.values))


def test_seed_report_troop_figures_with_dates_and_timeline(seed_report):
    troops = _fact_with(seed_report, "about 5,000", "some 2,500")
    assert troops.kind == "number" and troops.severity == "contradiction"
    assert "troops" in troops.subject and "personnel" in troops.subject
    by_text = {s.text: s for s in troops.statements}
    five, two = by_text["about 5,000"], by_text["some 2,500"]
    assert five.published == "2020-01-05" and five.title.startswith("Iraqi MPs Back Resolution")
    # the 2,500 article has no dateline: it was written after the latest date it mentions
    assert two.published is None and two.not_before == "2021-12-31"
    assert [(p.date, p.exact, p.value) for p in troops.timeline] == [
        ("2020-01-05", True, 5000.0), ("2021-12-31", False, 2500.0)]


def test_seed_report_major_vs_lieutenant_general(seed_report):
    fact = _fact_with(seed_report, "Major General", "Lieutenant General")
    assert fact.kind == "entity" and fact.subject == "Qassem Soleimani"
    by_title = {s.shown: s for s in fact.statements}
    assert by_title["Major General"].published == "2020-02-20"
    assert "Lieutenant General Qassem Soleimani" in by_title["Lieutenant General"].sentence
    assert all(c.via == "name" for c in fact.contradictions)


def test_seed_report_never_pairs_an_article_with_itself(seed_report):
    for fact in seed_report.facts:
        for c in fact.contradictions:
            assert c.a.doc_id != c.b.doc_id


def test_seed_report_json_filters_by_kind(seed_report):
    everything = seed_report.to_json()
    numbers = seed_report.to_json(kind="number")
    assert numbers["total"] == everything["kinds"]["number"] >= 1
    assert all("number" in {c["kind"] for c in f["contradictions"]} for f in numbers["facts"])
    with_notes = seed_report.to_json(severity="note")
    assert with_notes["total"] >= everything["total"]
    assert all(f["severity"] == "contradiction" for f in everything["facts"])


def test_a_figure_that_changed_is_one_fact_with_a_timeline(workspace):
    workspace.add([
        Document("march", "Acme cuts jobs", "About 300 workers were laid off at the Acme plant in Leeds this week.",
                 "2021-03-01"),
        Document("april", "Acme cuts more", "Some 450 workers were laid off at the Acme plant in Leeds this week.",
                 "2021-04-01"),
        Document("may", "Acme settles", "About 300 workers were laid off at the Acme plant in Leeds this week.",
                 "2021-05-01"),
    ])
    report = build_report(workspace, workspace.settings.check)
    assert len(report.facts) == 1
    fact = report.facts[0]
    assert fact.kind == "number" and fact.subject == "workers"
    assert [s.doc_id for s in fact.statements] == ["march", "april", "may"]
    assert [p.value for p in fact.timeline] == [300, 450, 300]
    assert len(fact.contradictions) == 2  # 450 against each 300; the two 300s agree


def test_sentences_of_one_article_are_not_compared(workspace):
    workspace.add([Document("one", "Acme", "About 300 workers were laid off at the Acme plant in Leeds this week.\n"
                            "Some 450 workers were laid off at the Acme plant in Leeds this week.", "2021-03-01")])
    assert build_report(workspace, workspace.settings.check).facts == []


def test_titles_of_one_name_in_unrelated_sentences(workspace):
    workspace.add([
        Document("a", "Bridge", "Crowds cheered as Colonel John Smith opened the new bridge over the river on Friday.",
                 "2022-06-03"),
        Document("b", "Budget", "The budget of the regiment led by Major John Smith was cut sharply this year.",
                 "2022-09-01"),
    ])
    report = build_report(workspace, workspace.settings.check)
    fact = next(f for f in report.facts if f.subject == "John Smith")
    assert fact.kind == "entity" and set(fact.values) == {"Colonel", "Major"}
    assert [s.date for s in fact.statements] == ["2022-06-03", "2022-09-01"]


def test_a_nationality_before_a_body_says_which_body(workspace):
    workspace.add([
        Document("a", "Vote", "Voters in Perth heard the Scottish National Party set out its plans on Friday.",
                 "2005-04-01"),
        Document("b", "Rally", "Police watched as the British National Party marched through the town centre.",
                 "2005-04-02"),
    ])
    report = build_report(workspace, workspace.settings.check)
    assert not [f for f in report.facts if f.subject == "National Party"]


def test_mentions_are_titled_names():
    found = mentions("The US strike killing Major General Qassem Soleimani, the commander of the Quds Force.")
    titled = [m for m in found if m.titled]
    assert [m.key for m in titled] == ["qassem soleimani"]
    assert {m.key for m in found} == {"qassem soleimani", "quds force"}


def test_latest_mentioned_date():
    assert latest_mentioned_date("Talks on January 5, 2020 and a deadline of December 31, 2021.") == "2021-12-31"
    assert latest_mentioned_date("No dates here at all.") is None


def test_empty_corpus_reports_nothing(workspace):
    report = build_report(workspace, workspace.settings.check)
    assert report.facts == [] and report.documents == 0 and report.to_json()["total"] == 0


def test_report_cache_builds_once_per_corpus_state(workspace):
    from factlint.report import ReportCache

    workspace.add([Document("a", "A", "Some 450 workers were laid off at the Acme plant in Leeds this week.",
                            "2021-03-01")])
    cache = ReportCache()
    first = cache.get(workspace, workspace.settings.check)
    assert cache.get(workspace, workspace.settings.check) is first
    workspace.add([Document("b", "B", "About 300 workers were laid off at the Acme plant in Leeds this week.",
                            "2021-04-01")])
    second = cache.get(workspace, workspace.settings.check, wait=60)
    assert second is not first and second.documents == 2 and len(second.facts) == 1


def test_report_cache_answers_none_while_building(workspace, monkeypatch):
    import threading

    import factlint.report as report_module

    release, real = threading.Event(), report_module.build_report
    monkeypatch.setattr(report_module, "build_report", lambda ws, s: (release.wait(30), real(ws, s))[1])
    cache = report_module.ReportCache()
    assert cache.get(workspace, workspace.settings.check, wait=0) is None
    release.set()
    assert cache.get(workspace, workspace.settings.check, wait=30).documents == 0


def test_a_fact_has_one_subject(workspace):
    # Two articles give India's growth two values: one fact. China's figure is another referent's,
    # another fact: never compared with either.
    workspace.add([
        Document("a", "Growth", "India's economy grew by 9.5% in 2004, the IMF said on Monday.", "2005-01-10"),
        Document("b", "India", "India's economy grew by 6.9% in 2004, the IMF said on Monday.", "2005-01-10"),
        Document("c", "China", "China's economy grew by 8.1% in 2004, the IMF said on Monday.", "2005-01-10"),
    ])
    report = build_report(workspace, workspace.settings.check)
    numbers = [f for f in report.facts if f.kind == "number"]
    assert sorted(sorted({s.doc_id for s in f.statements}) for f in numbers) == [["a", "b"]]


def test_a_subject_only_one_article_names_is_not_one_fact(workspace):
    # "The economy" of one article may be any country's: against India's figure it is not known to be
    # the same fact, so the report does not say the articles disagree.
    workspace.add([
        Document("a", "Growth", "The economy grew by 9.5% in 2004, the IMF said on Monday.", "2005-01-10"),
        Document("b", "India", "India's economy grew by 6.9% in 2004, the IMF said on Monday.", "2005-01-10"),
    ])
    report = build_report(workspace, workspace.settings.check)
    assert not [f for f in report.facts if f.kind == "number"]
