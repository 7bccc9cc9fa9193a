"""Names and titles: swapped ranks (Major / Lieutenant General), roles (head / deputy head), people,
bodies and places. A spelling variant of one name (al-Amiri / al-Ameri) is a note, not a conflict.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ..models import Conflict
from ..text import COPULAS, STOPWORDS, Token, align, anchored, lemma, overlaps, predicate, span_of, tokenize
from . import names, negation, places
from .names import SPELLING_VARIANT
from .dates import MONTHS, WEEKDAYS

RANKS = frozenset("general lieutenant major brigadier colonel captain sergeant admiral commodore "
                  "marshal corporal private commander ensign".split())
ROLE_MODIFIERS = frozenset("deputy vice acting former assistant interim associate".split())
ROLES = frozenset("head chief leader president minister commander director chairman chairwoman chair "
                  "secretary spokesman spokeswoman spokesperson governor mayor ambassador editor "
                  "manager founder ceo premier speaker".split())
MAX_DIFF = 4  # tokens a side of a difference may have to be a swap of names, ranks or roles
# Confidence of a swap of names: measured on the development pairs (VitaminC numeric + RTE-3 dev,
# similarity >= 0.25, 2026-11-21), 29 of 30 right. Of ranks and roles: priors, the development pairs
# hold none (ranks are a closed list, hence surer than roles).
NAME_SWAP = 0.97
RANK_SWAP = 0.85
ROLE_SWAP = 0.8
SPELLING_NOTE = 0.5
NAME_SWAP_DETAIL = "another name"
MIN_NATIONALITY_OVERLAP = 0.5  # a nationality swap in a looser restatement: half its words the same


def _name_key(tokens) -> str:
    return " ".join(t.norm for t in tokens if t.is_word).replace("'s", "")


def _run_key(text: str, toks) -> str:
    """The whole name the differing tokens belong to ("al-Qaida" / "Al Qaeda", not "Al")."""
    s, e = span_of(toks)
    run = [n for n in names.find_names(text) if n.start <= s and e <= n.end]
    return run[0].key if run else _name_key(toks)


TITLES = frozenset("mr mrs ms miss dr sir prof".split())


def _same_name_goes_on(d) -> bool:
    """The differing words are what comes before one name that both sentences go on with ("Mr
    [Sharon]" / "Israeli Prime Minister Ariel [Sharon]"), or only a title ("Mr")."""
    nxt_a, nxt_b = d.a_after[:1], d.b_after[:1]
    if nxt_a and nxt_b and nxt_a[0].norm == nxt_b[0].norm and nxt_a[0].is_word and nxt_a[0].is_capitalized:
        return True
    return all(t.norm.rstrip(".") in TITLES for t in d.a if t.is_word) or \
        all(t.norm.rstrip(".") in TITLES for t in d.b if t.is_word)


def _in_list(text: str, toks) -> bool:
    """A name in a list of names ("Subs not used: White, McIntosh, Wood"): lists of two articles are
    other selections, not one referent named two ways."""
    s, e = span_of(toks)
    return bool(re.search(r"[A-Z][\w'’-]*\s*,\s*$", text[max(0, s - 30):s])
                or re.match(r"\s*,\s*[A-Z]", text[e:e + 4]))


BODIES = frozenset("college university school academy institute hospital museum church cathedral court council "
                   "committee company corporation bank club party union association agency department ministry "
                   "station airport".split())


def _place_and_body(a: str, b: str) -> bool:
    """Is ``a`` a place and ``b`` a body (a college, a court, a company)? Two kinds of name say two
    things (where, and which body), not two values of one."""
    return places.known(a) and not places.known(b) and b.split()[-1] in BODIES


def _unit(text: str, toks) -> bool:
    """Capitals written onto a figure ("40GB", "2.4GHz", "40G-byte"): a unit, not a name."""
    return toks[0].start > 0 and text[toks[0].start - 1].isdigit()


def _abbreviation_piece(text: str, toks) -> bool:
    """A letter or two next to "&" or "." ("P&W", "N.Y."): a piece of an abbreviation, not a name."""
    if len(toks) != 1 or len(toks[0].text) > 2:
        return False
    around = text[max(0, toks[0].start - 1):toks[0].start] + text[toks[0].end:toks[0].end + 1]
    return "&" in around or "." in around


def _prefix(a: str, b: str) -> bool:
    """One name written short ("Abdu" / "Abdullah")."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long.startswith(short)


def _elsewhere(key: str, tokens: tuple[Token, ...], exact: bool = False) -> bool:
    """Does the name ``key`` stand anywhere in the other sentence, as written or spelled a little
    differently (PewDieDie / PewDiePie)?"""
    words = key.split()
    norms = [t.norm.replace("'s", "") for t in tokens if t.is_word]
    return any(norms[i:i + len(words)] == words
               or (not exact and fuzz.ratio(" ".join(norms[i:i + len(words)]), key) >= SPELLING_VARIANT)
               for i in range(len(norms) - len(words) + 1))


def _named_elsewhere(key: str, text: str, other: str) -> bool:
    """Is the referent ``key`` named in ``text`` in another of its own ways ("the U.S. market" / "the PC
    market in the United States"): its equivalent, or the same country?"""
    country = places.country_of(key)
    return any(names.equivalent(key, n.key) or (country is not None and places.country_of(n.key) == country)
               for n in names.find_names(text, other))


def _acronym(short: tuple[Token, ...], other: tuple[Token, ...], at: tuple[Token, ...]) -> bool:
    """Is ``short`` one all-capital token whose letters begin the capitalized words of ``other`` from
    the place ``at`` on ("EU" / "European Union", "UAE" / "United Arab Emirates")?"""
    if len(short) != 1 or not short[0].text.isupper() or not 2 <= len(short[0].text) <= 6 or not at:
        return False
    letters = short[0].text.replace(".", "").lower()
    start = next(i for i, t in enumerate(other) if t is at[0])
    words = [t for t in other[start:start + 2 * len(letters)] if t.is_word and t.norm not in ("of", "and", "the")]
    return "".join(t.norm[0] for t in words[:len(letters)]) == letters


def _is_name(tokens: tuple[Token, ...], sentence_start: bool) -> bool:
    words = [t for t in tokens if t.is_word]
    if any(t.text in ".!?" for t in tokens):
        return False  # a sentence boundary: "Arc. The"
    return bool(words) and all(
        (t.is_capitalized or t.norm.startswith(("al-", "el-", "bin", "abu"))) for t in words
    ) and not sentence_start and not any(t.norm in MONTHS or t.norm in WEEKDAYS for t in words)


def analyze(claim: str, evidence: str) -> list[Conflict]:
    al = align(claim, evidence)
    said_a, said_b = {t.norm for t in al.a}, {t.norm for t in al.b}
    out: list[Conflict] = []
    for d in al.diffs:
        if len(d.a) > MAX_DIFF or len(d.b) > MAX_DIFF:
            continue  # a swap is a small substitution; longer stretches say different things
        ranks_a = {t.norm for t in d.a} & RANKS
        ranks_b = {t.norm for t in d.b} & RANKS
        if ranks_a and ranks_b and ranks_a != ranks_b:
            out.append(_conflict(claim, evidence, [t for t in d.a if t.norm in RANKS],
                                 [t for t in d.b if t.norm in RANKS], RANK_SWAP))
            continue
        mods_a = {t.norm for t in d.a} & ROLE_MODIFIERS
        mods_b = {t.norm for t in d.b} & ROLE_MODIFIERS
        after = d.a_after[0].norm if d.a_after else ""
        # The role itself is shared ("head" / "deputy head"); only its modifier differs.
        if mods_a != mods_b and not (mods_a - said_b or mods_b - said_a):
            mods_a = mods_b  # "Police Deputy Chief" / "Deputy Police Chief": the modifier is in both
        if mods_a != mods_b and (after in ROLES or {t.norm for t in d.a} & {t.norm for t in d.b} & ROLES):
            sa = span_of(d.a + d.a_after[:1]) if d.a else d.a_span
            sb = span_of(d.b + d.b_after[:1]) if d.b else d.b_span
            out.append(Conflict("entity", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], ROLE_SWAP))
            continue
        if d.tag != "replace" or len(d.a) > 4 or len(d.b) > 4:
            continue
        ca = places.country_of(_run_key(claim, d.a)) or places.country_of(_name_key(d.a))
        cb = places.country_of(_run_key(evidence, d.b)) or places.country_of(_name_key(d.b))
        if ca and cb and ca != cb and al.overlap >= 0.6 and not (
                _elsewhere(_name_key(d.a), al.b, True) or _elsewhere(_name_key(d.b), al.a, True)):
            # two countries or nationalities, however alike they are written, wherever they stand
            out.append(_conflict(claim, evidence, d.a, d.b, NAME_SWAP, detail=NAME_SWAP_DETAIL))
            continue
        first_a = d.a[0] is al.a[0]
        first_b = d.b[0] is al.b[0]
        if not (_is_name(d.a, first_a) and _is_name(d.b, first_b)):
            continue
        if _same_name_goes_on(d) or _abbreviation_piece(claim, d.a) or _abbreviation_piece(evidence, d.b) \
                or _in_list(claim, d.a) or _in_list(evidence, d.b) or _unit(claim, d.a) or _unit(evidence, d.b):
            continue  # "Mr Sharon" / "Ariel Sharon"; "P&W", "N.Y.", "S&P" cut by the tokenizer
        ka, kb = _run_key(claim, d.a), _run_key(evidence, d.b)
        if names.equivalent(ka, kb) or ranks_a or ranks_b:
            continue  # one referent named two ways
        if _place_and_body(ka, kb) or _place_and_body(kb, ka):
            continue  # "a San Diego student" / "a Grossmont College student": where, and which body
        if names.same_referent(ka, kb) and ka.split() != kb.split() and not (set(ka.split()) <= set(kb.split())
                                                                              or set(kb.split()) <= set(ka.split())) \
                and (names.spelled_alike(ka, kb) or _prefix(ka, kb)):
            out.append(_conflict(claim, evidence, d.a, d.b, SPELLING_NOTE, "note",
                                 "the same name spelled differently"))
        elif names.same_referent(ka, kb) or _prefix(ka, kb):
            continue  # one referent named two ways: a country and its demonym, an acronym, a surname
        elif names.spelled_alike(ka, kb):
            out.append(_conflict(claim, evidence, d.a, d.b, SPELLING_NOTE, "note",
                                 "the same name spelled differently"))
        elif _elsewhere(ka, al.b) or _elsewhere(kb, al.a) or _acronym(d.a, al.b, d.b) \
                or _acronym(d.b, al.a, d.a) or places.nested(ka, kb) \
                or _named_elsewhere(ka, evidence, claim) or _named_elsewhere(kb, claim, evidence):
            continue  # both names in both sentences (a list reordered), "EU" / "European Union", Cairo / Egypt
        elif al.overlap >= 0.6:
            out.append(_conflict(claim, evidence, d.a, d.b, NAME_SWAP, detail=NAME_SWAP_DETAIL, anchor=True))
    out += [c for c in _ranks_of_one_person(claim, evidence)
            if not any(overlaps(c.claim_span, k.claim_span) for k in out)]
    out += _anchored_nationalities(claim, evidence, out)
    out += _predicate_names(claim, evidence, out)
    return out + _anchored_places(claim, evidence, out)


# Rank abbreviations written before a name ("Lt. Gen. Qassem Soleimani", "Maj Gen Smith").
RANK_ABBREVIATIONS = {"lt": "lieutenant", "gen": "general", "maj": "major", "col": "colonel", "capt": "captain",
                      "sgt": "sergeant", "adm": "admiral", "brig": "brigadier", "cpl": "corporal",
                      "cdr": "commander", "cmdr": "commander", "pte": "private"}
_APPOSITIVE_RANK = re.compile(r"\s*,\s*(?:a|an|the)\s+((?:(?:" + "|".join(sorted(RANKS)) + r")\s+){0,2}"
                              r"(?:" + "|".join(sorted(RANKS)) + r"))\b(?=\s*[,.;]|\s+(?:who|and|in|of)\b)", re.I)


@lru_cache(maxsize=8192)  # an evidence sentence comes back for many claims
def _ranked_people(text: str) -> tuple[tuple[tuple[str, ...], tuple[int, int], str], ...]:
    """Each person the text gives a rank, with that rank: (rank words, their span, the person's name
    without them). The rank before the name ("Major General Qassem Soleimani", "Lt. Gen. Qassem
    Soleimani") or in an apposition after it ("Qassem Soleimani, a lieutenant general,")."""
    toks = tokenize(text)
    out = []
    for n in names.find_names(text):
        words = [t for t in n.tokens if t.is_word]
        lead = []
        for t in words:
            if t.norm in RANKS or t.norm in RANK_ABBREVIATIONS:
                lead.append(t)
            else:
                break
        person = " ".join(t.norm for t in words[len(lead):])
        if not person:
            continue
        before = [t for t in toks if t.end <= n.start][-4:]
        abbreviated = []
        for t in reversed(before):
            if t.text == ".":
                continue
            if t.norm in RANK_ABBREVIATIONS and t.is_capitalized:
                abbreviated.insert(0, t)
            else:
                break
        rank = abbreviated + lead
        if rank:
            end = rank[-1].end + (not lead and text[rank[-1].end:rank[-1].end + 1] == ".")  # "Lt. Gen."
            ranks, span = [RANK_ABBREVIATIONS.get(t.norm, t.norm) for t in rank], (rank[0].start, end)
        else:
            m = _APPOSITIVE_RANK.match(text, n.end)
            if not m:
                continue
            ranks, span = m.group(1).lower().split(), m.span(1)
        out.append((tuple(ranks), span, person))
    return tuple(out)


def _compatible_ranks(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One rank, or one said short: "General" for "Major General" (its last words)."""
    short, long = sorted((a, b), key=len)
    return long[len(long) - len(short):] == short


def _ranks_of_one_person(claim: str, evidence: str) -> list[Conflict]:
    """One person given two ranks, however the sentences are phrased ("Lieutenant General Qassem
    Soleimani was killed" / "the strike killing Major General Qassem Soleimani"): the rank is
    anchored on the person's name."""
    theirs = _ranked_people(evidence)
    out = []
    for ra, sa, pa in _ranked_people(claim):
        same = [(rb, sb) for rb, sb, pb in theirs if names.same_referent(pa, pb)]
        if same and not any(_compatible_ranks(ra, rb) for rb, _ in same):
            sb = same[0][1]
            out.append(Conflict("entity", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], RANK_SWAP,
                                detail="another rank", local=True))
    return out


def _anchored_nationalities(claim: str, evidence: str, found: list[Conflict]) -> list[Conflict]:
    """Two countries or nationalities in the same place of a longer or shorter restatement ("Tim Roth
    is an English actor" / "Timothy Simon Roth (born 14 May 1961) is an American actor"): the words
    around them line up, and neither is mentioned in the other sentence."""
    if align(claim, evidence).overlap < MIN_NATIONALITY_OVERLAP:
        return []  # "many of Cuban's poorest citizens" / "improve the lives of Venezuela's poorest citizens"
    na, nb = _nationalities(claim, evidence), _nationalities(evidence, claim)
    out = []
    for x in na:
        for y in nb:
            if places.country_of(x.key) == places.country_of(y.key) or names.same_referent(x.key, y.key):
                continue
            if names.mentioned(x.key, evidence, claim) or names.mentioned(y.key, claim, evidence):
                continue
            if any(overlaps(c.claim_span, (x.start, x.end)) for c in found + out):
                continue
            if anchored(claim, (x.start, x.end), evidence, (y.start, y.end)) \
                    or _one_thing_described(claim, x, evidence, y):
                out.append(_swap(claim, x, evidence, y))
    return out


def _swap(claim: str, x, evidence: str, y) -> Conflict:
    """The names ``x`` and ``y`` swapped, anchored on the words around them (local)."""
    return Conflict("entity", (x.start, x.end), (y.start, y.end), claim[x.start:x.end], evidence[y.start:y.end],
                    NAME_SWAP, detail=NAME_SWAP_DETAIL, local=True)


def _two_referents(claim: str, x, evidence: str, y) -> bool:
    """Are ``x`` and ``y`` two referents: not one named two ways, neither named in the other sentence,
    neither place inside the other?"""
    return not (names.same_referent(x.key, y.key) or names.mentioned(x.key, evidence, claim)
                or names.mentioned(y.key, claim, evidence) or places.nested(x.key, y.key))


_PLACING = frozenset({"in", "on", "by"})  # "a character in X", "a character on X", "an album by X"
PLACED_NAME_REACH = 6  # tokens after the preposition within which its name stands ("in the novel Don Quixote")
_PLACING_END = frozenset("who whom whose that which where when , ; : ( )".split())


def _placed_name(text: str, other: str) -> tuple[str, str, names.Name] | None:
    """What the sentence says its subject is, placed by a name: the noun of its predicate, the
    preposition after it and the name that follows ("Sancho Panza is a fictional character in the
    novel Don Quixote": character, in, Don Quixote), past lower-case words and a capitalized word
    that describes the next one ("the English rock band Pink Floyd"). None when the predicate is denied
    or ends first (a comma, "who", "that")."""
    span = predicate(text)
    if span is None:
        return None
    for i, t in enumerate(span):
        if negation.is_cue(t) or t.norm in _PLACING_END:
            return None
        if t.norm not in _PLACING:
            continue
        head = span[i - 1] if i else None
        if head is None or not head.is_word or head.is_capitalized or head.norm in STOPWORDS:
            return None
        at = {n.start: n for n in names.find_names(text, other)}
        for j, u in enumerate(span[i + 1:i + 1 + PLACED_NAME_REACH], start=i + 1):
            nxt = span[j + 1] if j + 1 < len(span) else None
            if not u.is_word:
                return None
            if u.is_capitalized and u.start in at:
                n = at[u.start]
                if len(n.tokens) == 1 and nxt is not None and nxt.is_word and not nxt.is_capitalized \
                        and nxt.norm not in STOPWORDS:
                    continue  # "the English rock band": a word that describes the band
                return lemma(head.text), t.norm, n
        return None
    return None


def _predicate_names(claim: str, evidence: str, found: list[Conflict]) -> list[Conflict]:
    """One subject that both sentences open with, said to be a thing of one kind placed by two
    names ("Sancho Panza is a character in Alibaba" / "Sancho Panza is a fictional character in the
    novel Don Quixote"; "The Endless River is an album by Danny Devito" / "... is the final studio
    album by the English rock band Pink Floyd"): the same noun and preposition, names that are not
    one referent, neither named in the other sentence nor inside the other."""
    if not names.one_subject(claim, evidence):
        return []
    a, b = _placed_name(claim, evidence), _placed_name(evidence, claim)
    if a is None or b is None or a[:2] != b[:2]:
        return []
    x, y = a[2], b[2]
    if not _two_referents(claim, x, evidence, y) or names.spelled_alike(x.key, y.key) \
            or any(overlaps(c.claim_span, (x.start, x.end)) for c in found):
        return []
    return [_swap(claim, x, evidence, y)]


def _anchored_places(claim: str, evidence: str, found: list[Conflict]) -> list[Conflict]:
    """Two places of one event that happens once, "born in", "died in" or "originated in" (or
    "from") before both ("was born in Trieste" / "Born in Naples, Renato Balestra ..."; "Daggering
    originated in Australia" / "Daggering is a form of dance originating from Jamaica"), in
    sentences about one subject (names.one_subject, or the claim's opening name named in the
    evidence), neither place in the other sentence nor inside the other. Not other events: a tour,
    a visit or a move happens many times ("the Lions tour to New Zealand" / "the 1997 Lions tour to
    South Africa")."""
    subject = names.opening(claim)
    if not ((subject is not None and names.mentioned(subject.key, evidence, claim))
            or names.one_subject(claim, evidence)):
        return []
    pa = [n for n in names.find_names(claim, evidence) if n is not subject and places.known(n.key)]
    pb = [n for n in names.find_names(evidence, claim) if places.known(n.key)]
    out = []
    for x in pa:
        for y in pb:
            if not _two_referents(claim, x, evidence, y):
                continue
            if any(overlaps(c.claim_span, (x.start, x.end)) for c in found + out):
                continue
            if _one_origin(claim, x, evidence, y):
                out.append(_swap(claim, x, evidence, y))
    return out


_ONCE = frozenset({"born", "died", "originat"})  # lemmas of events that happen once, where
_ORIGIN_PREPOSITIONS = frozenset({"in", "from"})


def _one_origin(claim: str, x, evidence: str, y) -> bool:
    """The two tokens before both names are one such event and "in" or "from" ("born in",
    "originated in" / "originating from")."""
    bx, by = tokenize(claim[:x.start])[-2:], tokenize(evidence[:y.start])[-2:]
    return len(bx) == 2 and len(by) == 2 and lemma(bx[0].text) == lemma(by[0].text) \
        and lemma(bx[0].text) in _ONCE and bx[1].norm in _ORIGIN_PREPOSITIONS and by[1].norm in _ORIGIN_PREPOSITIONS


def _nationalities(text: str, other: str) -> list:
    """The names of ``text`` that are a country or a nationality, or open with one ("Indian Tamil":
    its first word)."""
    out = []
    for n in names.find_names(text, other):
        if places.country_of(n.key):
            out.append(n)
        elif len(n.tokens) > 1 and places.country_of(n.tokens[0].norm):
            t = n.tokens[0]
            out.append(names.Name(t.norm, t.start, t.end, (t,)))
    return out


HEAD_TOKENS = 4  # tokens after a nationality within which the noun it describes stands


def _head_words(text: str, n) -> list[str]:
    """The lower-case words after a name, up to its noun ("an Australian prison drama film": prison,
    drama, film), stopping at punctuation or a function word."""
    out = []
    for t in tokenize(text[n.end:n.end + 60])[:HEAD_TOKENS]:
        if t.is_word and t.is_capitalized and not out:
            continue  # the rest of a name that opens with it: "Indian Tamil film"
        if not t.is_word or t.is_capitalized or t.norm in STOPWORDS:
            break
        out.append(lemma(t.text))
    return out


def _one_thing_described(claim: str, x, evidence: str, y) -> bool:
    """Do both sentences describe their one subject with a nationality before the same noun, each
    opening with it ("Brubaker is an American film" / "Brubaker is a 1980 Australian prison drama
    film directed by ...")? Then the nationalities are two values of one slot, however much else
    the longer sentence says around them."""
    hx, hy = _head_words(claim, x), _head_words(evidence, y)
    if hx and hy:
        if not (hx[-1] in hy or hy[-1] in hx):
            return False
    elif not (_after_copula(claim, x) and _after_copula(evidence, y)):
        return False  # a nationality said as the predicate itself ("is only Chinese") against one
        # that describes the subject ("is an American screenwriter"): both what the subject is
    if _denied(claim, x) or _denied(evidence, y):
        return False
    return names.one_opening(claim, evidence) and not _opens(claim, x) and not _opens(evidence, y)


_BEFORE_PREDICATE = frozenset("a an the only solely exclusively also former".split())


def _after_copula(text: str, n) -> bool:
    """Is the nationality in the predicate of a copula ("is only Chinese", "is a former American
    football quarterback")?"""
    before = tokenize(text[max(0, n.start - 40):n.start])
    while before and before[-1].norm in _BEFORE_PREDICATE:
        before = before[:-1]
    return bool(before) and before[-1].norm in COPULAS


def _denied(text: str, n) -> bool:
    """Is the description denied ("is not an American series", "never a French film")?"""
    before = [t for t in tokenize(text[max(0, n.start - 30):n.start]) if t.norm not in ("a", "an", "the")]
    return bool(before) and negation.is_cue(before[-1])


def _opens(text: str, x) -> bool:
    """Is ``x`` the sentence's first word (the subject, not its description)?"""
    first = next(iter(tokenize(text)), None)
    return first is not None and first.start == x.start


def _conflict(claim, evidence, a, b, conf, severity="contradiction", detail="", anchor=False) -> Conflict:
    """The conflict of tokens ``a`` / ``b``; with ``anchor``, local when the words around them line up."""
    sa, sb = span_of(a), span_of(b)
    return Conflict("entity", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], conf, severity, detail,
                    local=anchor and anchored(claim, sa, evidence, sb))
