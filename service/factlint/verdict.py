"""Verdict: turn the conflicts found against each evidence sentence into one CheckResult.

A claim is judged by the sentences it most closely restates. It is ``contradicted`` when a
confident conflict stands against a near-duplicate at least as similar as any sentence that
agrees with it; ``supported`` when a close sentence agrees, or when the related sentences of one
article together state what the claim states (its content words and figures) without conflict;
``unverified`` otherwise. Conflicts
with less similar sentences than an agreeing one are kept as notes: the figure is stated
differently elsewhere (often an older or newer report).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from .analyzers.dates import find_dates, interval, resolve
from .compare import FIGURE_KINDS, coverage, is_contradiction
from .config import CheckSettings
from .models import CheckResult, Conflict, Evidence, Finding, iso_date
from .text import content_words, overlaps, tokenize

TITLE_CHARS = 48
# Kinds whose disputed words the archive's words can replace: not a negation's or the NLI model's
# span (not a value to write instead), nor a confusable word (which side is the slip is the question).
REPLACEABLE = frozenset({"number", "date", "entity", "antonym"})


def short_title(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def message(c: Conflict, ev: Evidence) -> str:
    where = f"'{short_title(ev.title)}'" + (f" ({ev.published})" if ev.published else "")
    text = f"claim says {c.claim_text}; {where} says {c.evidence_text}"
    return f"{text} ({c.detail})" if c.detail else text


def to_finding(c: Conflict, ev: Evidence) -> Finding:
    return Finding(c.kind, message(c, ev), c.confidence, c.claim_span, c.evidence_span, ev, c.severity)


def claim_time(claim: str, published: date | None = None) -> tuple[int, int] | None:
    """The days a claim says it speaks of ("in January 2020", or "last month" in a claim dated
    ``published``), as ordinals; None if it does not."""
    spans = [interval(d) for d in resolve(find_dates(claim), published) if (d.year or d.days) and not d.bound]
    spans = [s for s in spans if s]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def _day(published: str | None) -> int | None:
    day = iso_date(published)
    return day.toordinal() if day else None


def _time_aware(claim: str, pairs: list[tuple[Evidence, list[Conflict]]],
                published: date | None) -> list[tuple[Evidence, list[Conflict]]]:
    """A figure that changes over time is only contradicted by evidence of the claim's own time: when
    the claim states its time and an article was published after that time, conflicting figures
    from it become notes ("a later report")."""
    when = claim_time(claim, published)
    if when is None:
        return pairs
    out = []
    for ev, cs in pairs:
        day = _day(ev.published)
        if day is not None and day > when[1] + 31:
            cs = [replace(c, severity="note", detail=f"a later report ({ev.published}); the claim speaks of "
                          f"{date.fromordinal(when[0]).isoformat()[:7]}") if c.kind == "number" else c for c in cs]
        out.append((ev, cs))
    return out


def _over_time(findings: list[Finding], agreeing: list[Evidence]) -> list[Finding]:
    """When the claim's figure agrees with one article and conflicts with another of a different
    date, say so: the figure may have changed between the two reports."""
    dated = [ev for ev in agreeing if ev.published]
    out = []
    for f in findings:
        other = next((ev for ev in dated if f.kind in FIGURE_KINDS and f.evidence.published
                      and ev.published != f.evidence.published), None)
        if other is not None:
            note = (f"figures differ over time: the claim matches '{short_title(other.title)}' "
                    f"({other.published})")
            f = replace(f, message=f"{f.message} ({note})")
        out.append(f)
    return out


def _superseded(c: Conflict, ev: Evidence, agreeing: list[Evidence]) -> Evidence | None:
    """A later article that states the claim's figure as the claim does, where ``ev`` (older) states
    another: the claim follows the newer report, and the older figure was superseded."""
    day = _day(ev.published)
    if c.kind not in FIGURE_KINDS or day is None:
        return None
    return next((a for a in agreeing if (_day(a.published) or 0) > day), None)


def _said(f: Finding) -> str:
    s, e = f.evidence_span
    return f.evidence.sentence[s:e].strip()


def _states(ev: Evidence, words: str) -> bool:
    """Does the sentence say the claim's disputed ``words``: their figures ("about 2,500" is said by
    "some 2,500 troops"), else their content words?"""
    toks = tokenize(words)
    keys = {t.norm for t in toks if t.text[0].isdigit()} or {t.norm for t in content_words(toks)}
    return bool(keys) and keys <= {t.norm for t in tokenize(ev.sentence)}


def _with_replacements(claim: str, findings: list[Finding], clean: list[Evidence]) -> list[Finding]:
    """What to write instead of each contradicted span, where the archive holds one value for it:
    every contradiction of an overlapping span of the claim (of the same kind) says the same words,
    and no related sentence without a conflict says the claim's words (an archive that states the
    claim's value too holds two values, and neither is the one to write)."""
    def overlapping(f: Finding, g: Finding) -> bool:
        return (g.kind == f.kind and g.severity == "contradiction"
                and overlaps(f.claim_span, g.claim_span))

    out = []
    for f in findings:
        if f.severity == "contradiction" and f.kind in REPLACEABLE:
            values = {v.casefold(): v for v in (" ".join(_said(g).split()) for g in findings if overlapping(f, g))}
            said = claim[f.claim_span[0]:f.claim_span[1]]
            value = next(iter(values.values())) if len(values) == 1 else ""
            if any(_states(ev, said) for ev in clean):
                value = ""
            if value and value.casefold() != said.casefold():
                if f.claim_span[0] == 0 and said[:1].isupper() and value[:1].islower():
                    value = value[0].upper() + value[1:]  # it starts the sentence
                f = replace(f, replacements=(value,))
        out.append(f)
    return out


def decide(claim: str, pairs: list[tuple[Evidence, list[Conflict]]], settings: CheckSettings,
           published: date | None = None) -> CheckResult:
    """``pairs``: the related evidence (most similar first) with the conflicts that stand against
    each (``compare.standing_conflicts``); ``published``: the claim's own date, when known.

    A conflict against a comparable sentence is never outvoted by a sentence that agrees: the claim
    is ``contradicted``. The one exception is time: a figure or date that an older article states
    differently and a newer one as the claim does was superseded (a note). ``supported`` needs a
    close sentence, or one article's related sentences together, stating the claim without conflict.
    Findings are ranked contradictions first, then by similarity, newer evidence first among equals.
    """
    pairs = _time_aware(claim, pairs, published)
    related = [(ev, cs) for ev, cs in pairs if ev.similarity >= settings.min_related]
    evidence = [ev for ev, _ in related]
    clean = [ev for ev, cs in related if not any(is_contradiction(c, settings) for c in cs)]
    agreeing = [ev for ev in clean if ev.similarity >= settings.min_supported]
    by_doc: dict[str, list[Evidence]] = {}
    for ev in clean:
        if ev.similarity >= settings.min_coverage_related:
            by_doc.setdefault(ev.doc_id, []).append(ev)
    for evs in by_doc.values():
        if coverage(claim, [e.sentence for e in evs]) >= settings.min_coverage:
            agreeing.append(evs[0])
    best_agree = max((ev.similarity for ev in agreeing), default=0.0)

    findings: list[Finding] = []
    for ev, cs in related:
        for c in cs:
            newer = _superseded(c, ev, agreeing) if is_contradiction(c, settings) else None
            if newer is not None:
                c = replace(c, severity="note", detail=f"superseded: '{short_title(newer.title)}' "
                                                       f"({newer.published}) states it as the claim does")
            findings.append(to_finding(c, ev))
    findings.sort(key=lambda f: (f.severity != "contradiction", -round(f.evidence.similarity, 2),
                                 -(_day(f.evidence.published) or 0), -f.confidence))
    findings = _over_time(findings, agreeing)
    findings = _with_replacements(claim, findings, clean)

    against = [f for f in findings if f.severity == "contradiction" and f.confidence >= settings.min_confidence]
    if against:
        conf = max(f.confidence * min(1.0, f.evidence.similarity / settings.min_supported) for f in against)
        return CheckResult(claim, "contradicted", conf, findings, evidence)
    if agreeing:
        return CheckResult(claim, "supported", best_agree, findings, evidence)
    top = evidence[0].similarity if evidence else 0.0
    return CheckResult(claim, "unverified", 1.0 - top, findings, evidence)
