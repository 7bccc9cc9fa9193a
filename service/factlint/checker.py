"""Checker: the read path. Claims are embedded, near-duplicates retrieved from the index,
compared pair by pair, and turned into verdicts."""
from __future__ import annotations

from datetime import date

import numpy as np

from .analyzers import nli as nli_analyzer
from .compare import Article, Relation, comparable, find_conflicts, relation, standing_conflicts
from .config import CheckSettings, NliSettings, Settings
from .embeddings import Embedder
from .models import CheckResult, Conflict, Document, Evidence
from .verdict import decide
from .workspace import Workspace


class Checker:
    def __init__(self, workspace: Workspace, settings: CheckSettings,
                 nli: nli_analyzer.NliScorer | None = None, nli_settings: NliSettings | None = None):
        self.ws = workspace
        self.settings = settings
        self.nli = nli
        self.nli_settings = nli_settings or NliSettings()

    @classmethod
    def configured(cls, workspace: Workspace, settings: Settings) -> "Checker":
        """A checker as the settings say: with the NLI cross-encoder when ``[nli] model`` is set."""
        return cls(workspace, settings.check, load_nli(settings.nli), settings.nli)

    def retrieve(self, vectors: np.ndarray, top_k: int) -> list[list[Evidence]]:
        """Related corpus sentences for each query vector, most similar first."""
        if len(self.ws.index) == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        scores, ids = self.ws.search(vectors, top_k)
        rows = self.ws.store.sentences_by_id(sorted({int(i) for i in ids.ravel() if i >= 0}))
        out = []
        for qs, qi in zip(scores, ids):
            evs = []
            for score, sid in zip(qs, qi):
                if sid < 0 or int(sid) not in rows or score < self.settings.min_related:
                    continue
                sent, doc = rows[int(sid)]
                evs.append(Evidence(doc.id, doc.title, doc.published, doc.source, sent.text,
                                    (sent.start, sent.end), float(min(1.0, max(0.0, score))), doc.url))
            out.append(evs)
        return out

    def check_many(self, claims: list[str], top_k: int | None = None,
                   published: date | None = None, draft: str | None = None) -> list[CheckResult]:
        """Check claims in one batch: one encoder call, one index search. ``published`` is the
        claims' own date (a draft's), against which "yesterday" or "last month" in them are read;
        ``draft``: the text they stand in, which names who their pronouns and common nouns are."""
        vectors = self.ws.embedder.encode(claims)
        related = self.retrieve(vectors, top_k or self.settings.top_k)
        articles: dict[str, str | None] = {}
        return [decide(claim, [(ev, self.conflicts(claim, ev, published, articles, draft)) for ev in evs], self.settings,
                       published) for claim, evs in zip(claims, related)]

    def check(self, claim: str, top_k: int | None = None, published: date | None = None) -> CheckResult:
        return self.check_many([claim], top_k, published)[0]

    def conflicts(self, claim: str, ev: Evidence, published: date | None = None,
                  articles: dict[str, str | None] | None = None, draft: str | None = None) -> list[Conflict]:
        """What stands against the retrieved sentence ``ev`` (the checker's rule); the evidence's
        article is read from the store only when a rule needs it, once per ``articles`` cache;
        ``draft``: the text the claim stands in, when it is a draft's sentence."""
        found = standing_conflicts(claim, ev.sentence, ev.similarity, self.settings, published, ev.published_date,
                                   article=self._article(ev.doc_id, {} if articles is None else articles),
                                   draft=draft)
        if not comparable(claim, ev.sentence, ev.similarity, self.settings):
            return found
        return found + _nli_conflicts(self.nli, self.nli_settings, claim, ev.sentence)

    def _article(self, doc_id: str, cache: dict[str, str | None]) -> Article:
        def read() -> str | None:
            if doc_id not in cache:
                doc = self.ws.store.document(doc_id)
                cache[doc_id] = article_text(doc) if doc is not None else None
            return cache[doc_id]
        return read

    def compare(self, a: str, b: str, a_published: date | None = None,
                b_published: date | None = None) -> tuple[Relation, float, list[Conflict]]:
        return compare_texts(self.ws.embedder, self.settings, a, b, nli=self.nli, nli_settings=self.nli_settings,
                             a_published=a_published, b_published=b_published)


def article_text(doc: Document) -> str:
    """What the same-fact gate reads of an article: its title, then its text."""
    return f"{doc.title}\n{doc.text}"


def _nli_conflicts(nli, nli_settings: NliSettings | None, a: str, b: str) -> list[Conflict]:
    if nli is None:
        return []
    s = nli_settings or NliSettings()
    return nli_analyzer.conflict(a, b, float(nli.contradiction([(a, b)])[0]), s.min_probability)


def comparison_json(relation: Relation, similarity: float, conflicts: list[Conflict]) -> dict:
    """What /v1/compare answers and `factlint compare --format json` prints."""
    return {"verdict": relation, "similarity": round(similarity, 4), "findings": [
        {"kind": c.kind, "severity": c.severity,
         "message": f"a says {c.claim_text}; b says {c.evidence_text}" + (f" ({c.detail})" if c.detail else ""),
         "confidence": c.confidence, "a": c.claim_text, "b": c.evidence_text, "a_span": list(c.claim_span),
         "b_span": list(c.evidence_span), "detail": c.detail}
        for c in conflicts]}


def load_nli(settings: NliSettings) -> nli_analyzer.NliScorer | None:
    """The configured NLI cross-encoder, or None when none is configured (the default)."""
    return nli_analyzer.NliScorer(settings.model, settings.contradiction_label) if settings.model else None


def compare_texts(embedder: Embedder, settings: CheckSettings, a: str, b: str,
                  similarity: float | None = None, nli: nli_analyzer.NliScorer | None = None,
                  nli_settings: NliSettings | None = None, a_published: date | None = None,
                  b_published: date | None = None) -> tuple[Relation, float, list[Conflict]]:
    """/v1/compare's logic: how sentence ``a`` (the claim) relates to sentence ``b`` (the evidence).
    With an NLI scorer its contradiction probability joins the rule analyzers' findings; the texts'
    own dates, when given, resolve their relative dates."""
    if similarity is None:
        va, vb = embedder.encode([a, b])
        similarity = float(np.clip(va @ vb, 0.0, 1.0))
    conflicts = find_conflicts(a, b, a_published, b_published) + _nli_conflicts(nli, nli_settings, a, b)
    return relation(a, b, conflicts, similarity, settings), similarity, conflicts
