"""The foundation's end-to-end examples, on the seed corpus through the real pipeline."""


def test_number_conflict_cites_the_article_with_the_other_figure(checker):
    r = checker.check("Iraq has about 2,500 American military personnel still in the country.")
    assert r.verdict == "contradicted"
    f = next(f for f in r.findings if f.kind == "number" and f.severity == "contradiction")
    assert f.evidence.doc_id.startswith("001") and "about 5,000" in f.evidence.sentence
    assert f.evidence.published == "2020-01-05"
    assert r.claim[f.claim_span[0]:f.claim_span[1]] == "about 2,500"
    assert f.evidence.sentence[f.evidence_span[0]:f.evidence_span[1]] == "about 5,000"
    assert "2,500" in f.message and "about 5,000" in f.message and "(2020-01-05)" in f.message


def test_confusable_wording(checker):
    r = checker.check("The resolution was passed unanimously.")
    assert r.verdict == "contradicted"
    f = r.findings[0]
    assert f.kind == "wording" and "anonymously" in f.message and f.evidence.doc_id.startswith("000")


def test_unrelated_claim_is_unverified(checker):
    r = checker.check("The central bank raised interest rates by a quarter point on Wednesday.")
    assert r.verdict == "unverified" and not r.findings


def test_paraphrase_is_supported(checker):
    r = checker.check("The government commits to revoking its request for help from the international "
                      "coalition fighting ISIS.")
    assert r.verdict == "supported"
    assert not [f for f in r.findings if f.severity == "contradiction"]


def test_evidence_spans_point_into_documents(checker, seeded):
    r = checker.check("Resolutions, unlike laws, are binding.")
    assert r.verdict == "contradicted" and r.findings[0].kind == "negation"
    ev = r.evidence[0]
    doc = seeded.store.document(ev.doc_id)
    assert doc.text[ev.span[0]:ev.span[1]] == ev.sentence
    assert [e.similarity for e in r.evidence] == sorted((e.similarity for e in r.evidence), reverse=True)


def test_batch_equals_single(checker):
    claims = ["Resolutions, unlike laws, are binding.", "A new species of frog was discovered."]
    assert [r.verdict for r in checker.check_many(claims)] == [checker.check(c).verdict for c in claims]


def test_compare(checker):
    rel, sim, conflicts = checker.compare("Some 5,000 US troops remain in Iraq.", "Some 2,500 US troops remain in Iraq.")
    assert rel == "contradiction" and conflicts[0].kind == "number" and sim > 0.8
    rel, _, conflicts = checker.compare("Some 2,500 US troops remain in Iraq.", "About 2,500 American soldiers are still in Iraq.")
    assert rel == "consistent" and not conflicts
    rel, _, _ = checker.compare("Some 2,500 US troops remain in Iraq.", "A new species of frog was discovered.")
    assert rel == "unrelated"


def test_the_evidence_article_says_who_its_pronouns_stand_for(workspace):
    from factlint.checker import Checker
    from factlint.models import Document

    evidence = "The company said it posted a profit of $150m in the first half of the year."
    workspace.add([Document("nike", "Nike beats forecasts", "The sports giant Nike had a strong season. " + evidence),
                   Document("solidere", "Solidere beats forecasts", "Beirut's Solidere had a strong season. " + evidence)])
    workspace.sync()
    r = Checker(workspace, workspace.settings.check).check("Solidere posted a profit of $120m in the first half of the year.")
    against = {f.evidence.doc_id for f in r.findings if f.kind == "number" and f.severity == "contradiction"}
    assert against == {"solidere"}


def test_a_drafts_sentence_is_about_what_the_draft_names(workspace):
    from factlint.checker import Checker
    from factlint.models import Document

    workspace.add([Document("solidere", "Solidere beats forecasts",
                            "Solidere posted a profit of $120m in the first half of the year.")])
    workspace.sync()
    checker = Checker(workspace, workspace.settings.check)
    claim = "The company said it posted a profit of $150m in the first half of the year."

    def flagged(draft):
        r = checker.check_many([claim], draft=draft)[0]
        return [f.kind for f in r.findings if f.severity == "contradiction"]

    assert flagged(None) == ["number"]
    assert flagged("Nike beats forecasts\nThe sports giant Nike had a strong season. " + claim) == []
    assert flagged("Solidere results\nBeirut's Solidere had a strong season. " + claim) == ["number"]
