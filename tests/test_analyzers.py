"""Every analyzer on pairs of sentences: true conflicts, and the look-alikes that are not."""
from __future__ import annotations

from datetime import date

import pytest

from factlint.analyzers import antonyms, dates, entities, negation, numbers, wording
from factlint.compare import find_conflicts, relation
from factlint.config import CheckSettings


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
    # a bound against a stated figure compares the written values, not the figure's rounding
    ("The bridge cost less than $4.2 billion.", "The bridge cost $4.2 billion.", "less than $4.2 billion",
     "$4.2 billion"),
    # "an estimated" is as wide as its rounding (at least 5%), not a blanket 15%
    ("The stadium cost over $70 million to build.", "The stadium cost an estimated $65 million to build.",
     "over $70 million", "an estimated $65 million"),
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
    # ...even when the wrong member shares more words: a compatible figure this near in value vouches
    ("The sequel earned more than $310 million outside the US and Canada.",
     "The sequel has grossed $180.2 million in the US and Canada, and $312.6 million in other territories."),
    # numbers that name (a road, a console, a season), times of day, fragments, decimal commas
    ("The casino is at exit 1 off Interstate 35.", "The casino is at exit 1 off Interstate 35in Thackerville."),
    ("The PC and PlayStation 4 versions of Fallout 76 got mixed reviews.",
     "Both the PC and PlayStation 4 versions got mixed reviews."),
    ("Season 3 holds an approval rating of 92%.", "The third season holds an approval rating of 92%."),
    ("The curfew ends before 7.00 a.m.", "The curfew runs from 9:00 p.m. to 7:00 a.m."),
    ("The world record is 2,45 m.", "The world record stood at 2.39 m for years."),
    # "nearly 22" includes 22 itself
    ("He arrived in the city at the age of 22.", "He arrived in the city at nearly 22 years of age."),
    # different units are not compared
    ("The moon has a diameter of 3,474 kilometres.", "The moon has a diameter of 2,159 miles."),
])
def test_number_lookalikes(claim, evidence):
    assert numbers.analyze(claim, evidence) == []


def test_number_conflict_against_a_list_member_that_no_figure_matches():
    (c,) = numbers.analyze("The sequel earned less than $150 million outside the US and Canada.",
                           "The sequel has grossed $180.2 million in the US and Canada, and $172.6 million "
                           "in other territories.")
    assert c.claim_text == "less than $150 million"


def test_approximation_width():
    (q,) = numbers.find_quantities("about 5,000 troops")
    assert (q.low, q.high) == (4500, 5500)  # the rounding of its last non-zero digit
    (q,) = numbers.find_quantities("some 2,500 troops")
    assert (q.low, q.high) == (2375, 2625)  # at least 5% either way


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
    assert [q.text for q in numbers.find_quantities("sold 130 , 000 albums")] == ["130"]  # not "000"


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim, evidence", [
    ("The two commanders were targeted on January 8, 2020, in a drone strike.",
     "The two commanders were targeted on January 3, 2020, in a drone strike."),
    ("German armies surrendered at Rheims before 1950.", "German armies surrendered at Rheims in May 1956."),
    ("By 2016, Tangled was the sixth-highest-grossing film.", "As of 2017, it was the sixth-highest-grossing film."),
    ("The withdrawal would be announced on Monday.", "The withdrawal would be announced on Friday."),
    # not in the same place, but dating the same event (the words around the dates)
    ("Waked was born after January 1973.", "The actor Waked was born on August 7 , 1972, in Cairo."),
    ("The Cape Wine Academy was founded after 1988.",
     "Founded in 1979 in South Africa, the Cape Wine Academy trains sommeliers."),
])
def test_date_conflicts(claim, evidence):
    assert [c.kind for c in dates.analyze(claim, evidence)] == ["date"]


def test_relative_dates_are_read_against_the_texts_dates():
    jan5 = date(2020, 1, 5)
    (c,) = dates.analyze("The minister resigned yesterday.", "The minister resigned on January 2.", jan5, jan5)
    assert (c.claim_text, c.evidence_text) == ("yesterday", "January 2")
    assert "'yesterday' is 2020-01-04" in c.detail
    assert dates.analyze("The minister resigned yesterday.", "The minister resigned on January 4.", jan5, jan5) == []
    # last month, read in March 2020, is February: not January
    (c,) = dates.analyze("The plant closed last month.", "The plant closed in January 2020.", date(2020, 3, 5))
    assert "2020-02-01 to 2020-02-29" in c.detail
    # "on Monday" in a report of Wednesday 8 January is 6 January
    assert dates.analyze("The talks began on Monday.", "The talks began on January 6, 2020.", date(2020, 1, 8)) == []
    assert dates.analyze("The talks began on Monday.", "The talks began on Friday.", date(2020, 1, 8),
                         date(2020, 1, 8))[0].detail == "read against the texts' dates: 'Monday' is 2020-01-06, " \
                                                        "'Friday' is 2020-01-03"
    # the same words in reports of different weeks say nothing against each other
    assert dates.analyze("Workers were laid off this week.", "Workers were laid off this week.",
                         date(2021, 3, 1), date(2021, 5, 1)) == []
    # without the texts' dates, relative mentions are compared as written
    assert [c.confidence for c in dates.analyze("The minister resigned yesterday.",
                                                "The minister resigned last week.")] == [dates.UNRESOLVED_CONFIDENCE]


@pytest.mark.parametrize("claim, evidence", [
    ("Lil Scrappy released an album before July 2006.", "Lil Scrappy released his debut album on May 5, 2006."),
    ("Atlanta was the busiest airport before 1999.", "Atlanta has been the busiest airport since 1998, and since 2005."),
    ("Waked was born before January 1973.", "Waked was born on August 7, 1972, in Cairo."),
    ("The strike came on January 3, 2020.", "The strike came on 3 January 2020."),
    ("Navarro was born after the 6th of June 1967.", "Navarro (born June 7, 1967) is a guitarist."),
    ("The attendance record was set in 2013.", "The attendance record of 2013/14 still stands."),
    ("In 1945, an atomic bomb was dropped on Hiroshima.",
     "He met her in December 2004. She was thirteen when the atomic bomb was dropped on Hiroshima (August 6, 1945)."),
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
    # the cue negates something else than the claim's predicate
    ("The island gets water from collected rain.", "The island also lacks wells, water has to come from rain."),
    ("French is the most widely spoken language.", "French is not the only language spoken."),
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


def test_place_swaps_are_still_conflicts():
    assert [c.kind for c in entities.analyze("The suspect was arrested in Egypt.",
                                             "The suspect was arrested in Jordan.")] == ["entity"]
    assert [c.kind for c in entities.analyze("The summit was held in Paris.",
                                             "The summit was held in Berlin.")] == ["entity"]


def test_spelling_variant_is_a_note():
    (c,) = entities.analyze("Hadi al-Amiri called for a withdrawal.", "Hadi al-Ameri called for a withdrawal.")
    assert c.severity == "note" and (c.claim_text, c.evidence_text) == ("al-Amiri", "al-Ameri")


@pytest.mark.parametrize("claim, evidence", [
    ("US troops remain in Iraq.", "American troops remain in Iraq."),
    ("The minister spoke in Baghdad.", "The minister spoke in Baghdad on Monday."),
    # a place inside the other (GeoNames), an acronym, a list in another order, a sentence boundary
    ("The suspect was arrested in Egypt.", "The suspect was arrested in Cairo after a tip-off."),
    ("Dinosaur remains were found in Asia.", "Dinosaur remains were found in Laos in 1936."),
    ("The Baltic states will join the EU soon.", "The Baltic states will join the European Union soon."),
    ("The council members are Qatar, Oman and Kuwait.", "The council members are Kuwait, Oman and Qatar."),
    ("The name of his wife is Barbara.", "He is the former President of the club. His wife is Barbara."),
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


def test_derivations_are_not_confusions():
    assert not wording.confusable("captain", "captaincy")
    assert wording.confusable("adopted", "adapted")


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


def test_an_alternation_as_a_trie_matches_what_the_longest_first_join_matches():
    import re

    from factlint.text import alternation

    words = ["ten", "twenty", "twenty-one", "twenty one", "two", "a", "an", "a dozen", "about", "approx.", "c."]
    trie = re.compile(rf"\b(?:{alternation(words)})", re.I)
    joined = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")", re.I)
    text = "About twenty-one of ten, twenty one or two; a dozen, an approx. c. 5 and Twenty-ones tent."
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in joined.finditer(text)]
    assert trie.match("twenty-one").group() == "twenty-one"
