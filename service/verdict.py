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

from .compare import coverage, is_contradiction
from .config import CheckSettings
from .models import CheckResult, Conflict, Evidence, Finding

TITLE_CHARS = 48


def short_title(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def message(c: Conflict, ev: Evidence) -> str:
    where = f"'{short_title(ev.title)}'" + (f" ({ev.published})" if ev.published else "")
    text = f"claim says {c.claim_text}; {where} says {c.evidence_text}"
    return f"{text} ({c.detail})" if c.detail else text


def to_finding(c: Conflict, ev: Evidence) -> Finding:
    return Finding(c.kind, message(c, ev), c.confidence, c.claim_span, c.evidence_span, ev, c.severity)


def decide(claim: str, pairs: list[tuple[Evidence, list[Conflict]]], settings: CheckSettings) -> CheckResult:
    """``pairs``: the related evidence (most similar first) with the conflicts found in each
    (none for sentences that are not ``compare.comparable`` with the claim)."""
    related = [(ev, cs) for ev, cs in pairs if ev.similarity >= settings.min_related]
    evidence = [ev for ev, _ in related]
    against = [(ev, cs) for ev, cs in related if any(is_contradiction(c, settings) for c in cs)]
    clean = [ev for ev, cs in related if not any(is_contradiction(c, settings) for c in cs)]
    agreeing = [ev for ev in clean if ev.similarity >= settings.min_supported]
    by_doc: dict[str, list[Evidence]] = {}
    for ev in clean:
        by_doc.setdefault(ev.doc_id, []).append(ev)
    for evs in by_doc.values():
        if coverage(claim, [e.sentence for e in evs]) >= settings.min_coverage:
            agreeing.append(evs[0])
    best_against = max((ev.similarity for ev, _ in against), default=0.0)
    best_agree = max((ev.similarity for ev in agreeing), default=0.0)

    findings: list[Finding] = []
    for ev, cs in related:
        for c in cs:
            if is_contradiction(c, settings) and best_agree > ev.similarity:
                c = replace(c, severity="note", detail="a closer sentence agrees with the claim")
            findings.append(to_finding(c, ev))
    findings.sort(key=lambda f: (f.severity != "contradiction", -f.evidence.similarity, -f.confidence))

    if against and best_against >= best_agree:
        conf = max(f.confidence * min(1.0, f.evidence.similarity / settings.min_supported)
                   for f in findings if f.severity == "contradiction")
        return CheckResult(claim, "contradicted", conf, findings, evidence)
    if agreeing:
        return CheckResult(claim, "supported", best_agree, findings, evidence)
    top = evidence[0].similarity if evidence else 0.0
    return CheckResult(claim, "unverified", 1.0 - top, findings, evidence)
