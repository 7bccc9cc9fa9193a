"""Every analyzer on pairs of sentences: true conflicts, and the look-alikes that are not."""
from __future__ import annotations

import pytest

from service.analyzers import antonyms, dates, entities, negation, numbers, wording
from service.compare import find_conflicts, relation
from service.config import CheckSettings


def kinds(claim: str, evidence: str) -> list[str]:
    return [c.kind for c in find_conflicts(claim, evidence) if c.severity == "contradiction"]


# --- numbers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim, evidence, claim_text, evidence_text", [
    ("Some 5,000 US troops still remain inside the country.",
     "Some 2,500 US troops still remain inside the country.", "Some 5,000", "Some 2,500"),
    ("Westlife made under 23.5 million sales in the UK.",
     "Westlife has a total of more than 24 million combined sales in the UK.", "under 23.5 million",
     "more than 24 million"),
    ("There are more than 86 confirmed cases in the UK.", "There are 85 confirmed cases in the UK.",
     "more than 86", "85"),
    ("Street Kings was reviewed by fewer than 152 critics.", "Street Kings was reviewed by 152 critics.",
     "fewer than 152", "152"),
    ("Lead is the 38th most abundant element in the crust.",
     "It is the 37th most abundant element in the crust.", "38th", "37th"),
    ("36 cases were confirmed in Romania.", "There were forty-one confirmed cases in Romania.", "36",
     "forty-one"),
])
def test_number_conflicts(claim, evidence, claim_text, evidence_text):
    found = numbers.analyze(claim, evidence)
    assert [(c.claim_text, c.evidence_text) for c in found] == [(claim_text, evidence_text)]
    c = found[0]
    assert claim[c.claim_span[0]:c.claim_span[1]] == claim_text
    assert evidence[c.evidence_span[0]:c.evidence_span[1]] == evidence_text


@pytest.mark.parametrize("claim, evidence", [
    # bounds and approximations that the evidence satisfies
    ("The film grossed more than 23 million dollars.", "The film grossed 24.5 million dollars."),
    ("There have been under 175,000 confirmed cases in the state.", "There have been 170,512 confirmed cases."),
    ("About 5,000 American troops are in Iraq.", "Some 5,200 US soldiers are in Iraq."),
    ("36 coronavirus cases were in Romania.", "There were thirty-six confirmed cases in Romania."),
    ("Less than 28 critics reviewed the film.", "The film has a score of 56 based on 27 reviews."),
    # figures of different things, or figures in names and words
    ("The two sides fought for 5 days.", "The two sides lost 300 soldiers."),
    ("It is one of the world's largest auction houses.", "They are the world's two most powerful auction houses."),
    ("More than 20 people attended the COVID-19 briefing.", "More than 20 people attended the briefing on COVID-19."),
    # a list of figures: the claim's matches one of them
    ("Happy Death Day earned over $100 million worldwide.",
     "It grossed $55.5 million in the US and $44.6 million in other territories, for a worldwide total of $100.1 million."),
])
def test_number_lookalikes(claim, evidence):
    assert numbers.analyze(claim, evidence) == []


def test_quantity_intervals():
    (q,) = numbers.find_quantities("more than 24 million combined sales")
    assert q.low == 24e6 and q.low_open and q.high == float("inf")
    (q,) = numbers.find_quantities("between 6 and 12 litres")
    assert (q.low, q.high) == (6, 12)
    (q,) = numbers.find_quantities("8.958 people have died")
    assert q.value == 8958
    (q,) = numbers.find_quantities("patients aged 70 or older")
    assert q.low == 70 and q.high == float("inf")
    assert numbers.find_quantities("in 2019 the COVID-19 pandemic") == []


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim, evidence", [
    ("The two commanders were targeted on January 8, 2020, in a drone strike.",
     "The two commanders were targeted on January 3, 2020, in a drone strike."),
    ("German armies surrendered at Rheims before 1950.", "German armies surrendered at Rheims in May 1956."),
    ("By 2016, Tangled was the sixth-highest-grossing film.", "As of 2017, it was the sixth-highest-grossing film."),
    ("The withdrawal would be announced on Monday.", "The withdrawal would be announced on Friday."),
])
def test_date_conflicts(claim, evidence):
    assert [c.kind for c in dates.analyze(claim, evidence)] == ["date"]


@pytest.mark.parametrize("claim, evidence", [
    ("Lil Scrappy released an album before July 2006.", "Lil Scrappy released his debut album on May 5, 2006."),
    ("Atlanta was the busiest airport before 1999.", "Atlanta has been the busiest airport since 1998, and since 2005."),
    ("Waked was born before January 1973.", "Waked was born on August 7, 1972, in Cairo."),
    ("The strike came on January 3, 2020.", "The strike came on 3 January 2020."),
])
def test_date_lookalikes(claim, evidence):
    assert dates.analyze(claim, evidence) == []


# --- negation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim, evidence", [
    ("The coalition said it will not stop training Iraqi forces.",
     "The coalition said it will stop training Iraqi forces."),
    ("Resolutions, unlike laws, are binding.", "Resolutions, unlike laws, are non-binding."),
    ("Democrat members had strong voting records.", "Democrat members do not have strong voting records."),
])
def test_negation_conflicts(claim, evidence):
    assert [c.kind for c in negation.analyze(claim, evidence)] == ["negation"]


@pytest.mark.parametrize("claim, evidence", [
    ("CVS will not sell its own brand of caplets any longer.", "CVS will stop selling its own brand of caplets."),
    ("The resolution is non-binding.", "The resolution is non-binding."),
    ("British funds acquire Berliner Verlag.",
     "Die Tageszeitung says no good will come of the acquisition of Berliner Verlag by British funds."),
])
def test_negation_lookalikes(claim, evidence):
    assert negation.analyze(claim, evidence) == []


# --- antonyms ------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim, evidence", [
    ("The Iraqi parliament voted against a resolution to expel US troops.",
     "The Iraqi parliament voted in favour of a resolution to expel US troops."),
    ("The killing was designed to start a war.", "The killing was designed to prevent a war."),
    ("Sales rose sharply last year.", "Sales fell sharply last year."),
])
def test_antonym_conflicts(claim, evidence):
    assert [c.kind for c in antonyms.analyze(claim, evidence)] == ["antonym"]


@pytest.mark.parametrize("claim, evidence", [
    ("Orlovsky drove 78 yards with more than 1 minute remaining.", "Orlovsky drove 78 yards with less than 2 minutes remaining."),
    ("Huddersfield played Reading in the final before 2018.", "Huddersfield played Reading in the final after extra time in 2017."),
    ("Drogba scored against Manchester United.", "Ronaldo opened the scoring for Manchester United, but Drogba equalised."),
])
def test_antonym_lookalikes(claim, evidence):
    assert antonyms.analyze(claim, evidence) == []


# --- names and titles ----------------------------------------------------------------------------

def test_rank_and_role_swaps():
    assert [c.kind for c in entities.analyze(
        "The strike killed Lieutenant General Qassem Soleimani.",
        "The strike killed Major General Qassem Soleimani.")] == ["entity"]
    assert [c.kind for c in entities.analyze(
        "Abu Mahdi al-Muhandis was the head of the Popular Mobilization Units.",
        "Abu Mahdi al-Muhandis was the deputy head of the Popular Mobilization Units.")] == ["entity"]
    assert [c.kind for c in entities.analyze(
        "President Trump said the strike was justified.", "President Biden said the strike was justified.")] == ["entity"]


def test_spelling_variant_is_a_note():
    (c,) = entities.analyze("Hadi al-Amiri called for a withdrawal.", "Hadi al-Ameri called for a withdrawal.")
    assert c.severity == "note" and (c.claim_text, c.evidence_text) == ("al-Amiri", "al-Ameri")


@pytest.mark.parametrize("claim, evidence", [
    ("US troops remain in Iraq.", "American troops remain in Iraq."),
    ("The minister spoke in Baghdad.", "The minister spoke in Baghdad on Monday."),
])
def test_entity_lookalikes(claim, evidence):
    assert [c for c in entities.analyze(claim, evidence) if c.severity == "contradiction"] == []


# --- confusable wording --------------------------------------------------------------------------

def test_confusable_wording():
    (c,) = wording.analyze("The resolution, which was passed unanimously, instructed the government.",
                           "The resolution, which was passed anonymously, instructed the government.")
    assert (c.claim_text, c.evidence_text) == ("unanimously", "anonymously")


@pytest.mark.parametrize("claim, evidence", [
    ("The troops were deployed to the region.", "The forces were deployed to the region."),
    ("The organisation was criticised for its decision.", "The organization was criticized for its decision."),
    ("The Packers season was their 90th appearance.", "The Packers season was the 90th appearance."),
])
def test_wording_lookalikes(claim, evidence):
    assert wording.analyze(claim, evidence) == []


# --- the pair relation ---------------------------------------------------------------------------

def test_relation_uses_similarity_floors():
    s = CheckSettings()
    claim, ev = "There are more than 86 confirmed cases in the UK.", "There are 85 confirmed cases in the UK."
    cs = find_conflicts(claim, ev)
    assert relation(claim, ev, cs, 0.4, s) == "contradiction"  # a figure conflict stands in a looser restatement
    assert relation(claim, ev, cs, s.min_conflict_figures - 0.01, s) == "unrelated"
    NEG = ("The coalition will not stop training.", "The coalition will stop training.")
    neg = find_conflicts(*NEG)
    assert relation(*NEG, neg, 0.9, s) == "contradiction"
    assert relation(*NEG, neg, s.min_related - 0.01, s) != "contradiction"
    assert relation("a", "b", [], 0.9, s) == "consistent"
    assert kinds("Iraqi MPs back the resolution.", "Iraqi MPs back the resolution.") == []
