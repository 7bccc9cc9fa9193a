"""Report: where the corpus contradicts itself, grouped by the fact the articles disagree about.

Two ways of pairing sentences of DIFFERENT articles feed the same compare logic:

1. near neighbours: every corpus sentence is checked like a claim against the related sentences
   of the other articles (``Checker.retrieve`` → ``find_conflicts`` → ``decide``), so a conflict
   is reported exactly when ``factlint check`` would report it for that sentence;
2. shared names: long sentences that mention the same person or body in passing are rarely
   near neighbours as wholes ("…killing Major General Qassem Soleimani, the commander…" and
   "…anti-terror commander, Iranian Lieutenant General Qassem Soleimani."). For sentences sharing a
   multi-word name, the few words before the name (where titles and ranks stand) are compared,
   and only entity conflicts of ranks and roles there are kept: what each article calls that person
   ("Scottish" / "British National Party" says which body, not its title).

Conflicts found in both directions of a pair are kept once. They are grouped into facts: two
conflicts are about one fact when they share a statement (overlapping words of one sentence), or
when they have the same subject (the counted noun of a figure, the name a title belongs to). Each
fact lists what each article says, oldest first; a figure stated on several dates gets a timeline.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

import numpy as np

from . import progress
from .analyzers.entities import RANKS, ROLE_MODIFIERS, ROLES
from .analyzers.names import same_referent
from .analyzers.numbers import find_quantities, noun_classes
from .checker import Checker
from .compare import find_conflicts, is_contradiction, referent, standing_conflicts
from .config import CheckSettings
from .corpus import DATE_PATTERNS, parse_date
from .models import Conflict, Evidence, Sentence, iso_date
from .text import STOPWORDS, lemma, tokenize
from .verdict import decide, message
from .workspace import Workspace

KINDS = ("number", "date", "entity", "negation", "antonym", "wording", "nli")
SEVERITIES = ("contradiction", "note")
BATCH = 512  # sentences searched per index call
NAME_WINDOW = 3  # tokens before a shared name compared for titles and ranks
MAX_MENTIONS = 200  # a name mentioned more often is too common to compare pairwise
SUBJECT_WORDS = 3


@dataclass(frozen=True)
class Statement:
    """What one article says about a fact: some words of one of its sentences."""

    doc_id: str
    title: str
    published: str | None
    source: str
    sentence: str
    sentence_span: tuple[int, int]  # the sentence's offsets in its document
    span: tuple[int, int]  # the disputed words' offsets in the sentence
    value: float | None = None  # a figure's value, for number facts
    not_before: str | None = None  # undated article: the latest full date its text mentions
    phrase: str = ""  # how to show what it says, when more than the disputed words ("Major General")
    url: str = ""  # the article's address, when known

    @property
    def date(self) -> str | None:
        """When the article said it: its publication date, else 'after' the latest date it mentions."""
        return self.published or self.not_before

    @property
    def text(self) -> str:
        return self.sentence[self.span[0]:self.span[1]]

    @property
    def shown(self) -> str:
        return self.phrase or self.text

    @property
    def key(self) -> tuple:
        return self.doc_id, self.sentence_span, self.span

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "published": self.published,
                "source": self.source, "not_before": self.not_before, "text": self.text, "shown": self.shown, "value": self.value,
                "sentence": self.sentence, "span": list(self.span),
                "sentence_span": list(self.sentence_span), "url": self.url}


@dataclass(frozen=True)
class Contradiction:
    """One conflict between two sentences of different articles."""

    kind: str
    severity: str  # contradiction | note
    confidence: float
    similarity: float  # of the two sentences
    message: str
    a: Statement  # the sentence checked
    b: Statement  # the sentence it conflicts with
    subject: str = ""  # what it is about, when known ("US troops", "Qassem Soleimani")
    via: str = "neighbours"  # neighbours | name

    def to_json(self) -> dict:
        return {"kind": self.kind, "severity": self.severity, "confidence": round(self.confidence, 4),
                "similarity": round(self.similarity, 4), "message": self.message, "via": self.via,
                "a": self.a.to_json(), "b": self.b.to_json()}


@dataclass(frozen=True)
class TimelinePoint:
    date: str
    exact: bool  # False: the article is undated and said it after ``date``
    value: float
    text: str
    title: str
    doc_id: str

    def to_json(self) -> dict:
        return {"date": self.date, "exact": self.exact, "value": self.value, "text": self.text,
                "title": self.title, "doc_id": self.doc_id}


@dataclass(frozen=True)
class Fact:
    """The conflicts about one fact, and every statement of it."""

    id: str
    kind: str
    subject: str
    statements: list[Statement]  # oldest first, undated last
    contradictions: list[Contradiction]
    timeline: list[TimelinePoint] = field(default_factory=list)  # a figure on 2+ dates, by date

    @property
    def kinds(self) -> set[str]:
        return {c.kind for c in self.contradictions}

    @property
    def severity(self) -> str:
        return "contradiction" if any(c.severity == "contradiction" for c in self.contradictions) else "note"

    @property
    def confidence(self) -> float:
        return max(c.confidence for c in self.contradictions)

    @property
    def values(self) -> list[str]:
        """The distinct things the articles say, in statement order."""
        seen: dict[str, None] = {}
        for s in self.statements:
            seen.setdefault(s.shown, None)
        return list(seen)

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "severity": self.severity, "subject": self.subject,
                "confidence": round(self.confidence, 4), "values": self.values,
                "statements": [s.to_json() for s in self.statements],
                "timeline": [p.to_json() for p in self.timeline],
                "contradictions": [c.to_json() for c in self.contradictions]}


@dataclass(frozen=True)
class Report:
    documents: int
    sentences: int
    facts: list[Fact]  # contradictions first, then by how many articles disagree
    generated: str

    def select(self, kind: str | None = None, severity: str = "contradiction") -> list[Fact]:
        """Facts of one kind (any kind when None); severity 'contradiction' leaves out facts whose
        conflicts are only notes, 'note' keeps everything."""
        return [f for f in self.facts
                if (kind is None or kind in f.kinds) and (severity == "note" or f.severity == "contradiction")]

    def counts(self, severity: str = "contradiction") -> dict[str, int]:
        c = Counter(k for f in self.select(None, severity) for k in f.kinds)
        return {k: c[k] for k in KINDS if c[k]}

    def to_json(self, kind: str | None = None, severity: str = "contradiction") -> dict:
        facts = self.select(kind, severity)
        return {"generated": self.generated, "documents": self.documents, "sentences": self.sentences,
                "kinds": self.counts(severity), "total": len(facts), "facts": [f.to_json() for f in facts]}


# --- finding conflicts ------------------------------------------------------------------------

def _from_sentence(sent: Sentence, doc, span: tuple[int, int], value: float | None = None) -> Statement:
    return Statement(doc.id, doc.title, doc.published, doc.source, sent.text, (sent.start, sent.end),
                     tuple(span), value, url=doc.url)


def _from_evidence(ev: Evidence, span: tuple[int, int], value: float | None = None) -> Statement:
    return Statement(ev.doc_id, ev.title, ev.published, ev.source, ev.sentence, tuple(ev.span), tuple(span), value,
                     url=ev.url)


def _severity(c: Conflict, settings: CheckSettings) -> str:
    """'contradiction' exactly when the checker would call it one (confident enough), else 'note'."""
    return "contradiction" if is_contradiction(c, settings) else "note"


def _figure(sentence: str, span: tuple[int, int]) -> float | None:
    for q in find_quantities(sentence):
        if q.start < span[1] and span[0] < q.end:
            return q.value
    return None


def _neighbour_conflicts(ws: Workspace, settings: CheckSettings, ids: list[int], vectors: np.ndarray,
                         rows: dict) -> list[Contradiction]:
    checker = Checker(ws, settings)
    out = []
    k = min(len(ids), settings.top_k * 2)  # room for the sentence itself and its article's others
    for i in progress.track(range(0, len(ids), BATCH), desc="report: comparing neighbours", unit="batch"):
        related = checker.retrieve(vectors[i:i + BATCH], k)
        for sid, evs in zip(ids[i:i + BATCH], related):
            sent, doc = rows[sid]
            others = [ev for ev in evs if ev.doc_id != doc.id][:settings.top_k]
            day = iso_date(doc.published)
            pairs = [(ev, standing_conflicts(sent.text, ev.sentence, ev.similarity, settings, day, ev.published_date,
                                             independent=True)) for ev in others]
            result = decide(sent.text, pairs, settings, day)
            for f in result.findings:
                c = Conflict(f.kind, f.claim_span, f.evidence_span, "", "", f.confidence, f.severity)
                number = f.kind == "number"
                out.append(Contradiction(
                    f.kind, _severity(c, settings), f.confidence, f.evidence.similarity, f.message,
                    _from_sentence(sent, doc, f.claim_span, _figure(sent.text, f.claim_span) if number else None),
                    _from_evidence(f.evidence, f.evidence_span,
                                   _figure(f.evidence.sentence, f.evidence_span) if number else None)))
    return out


_NAME_PART = re.compile(r"^(?:[A-Z][\w’'-]*|al-\w+|el-\w+|bin|abu)$")


@dataclass(frozen=True)
class Mention:
    """A titled name in a sentence: 'Iranian Lieutenant General Qassem Soleimani' is the run of
    capitalised words; its last two words are the name, the words before them its title."""

    key: str  # the name, normalised: "qassem soleimani"
    start: int  # character offset of the run (title included)
    name_start: int
    end: int

    @property
    def titled(self) -> bool:
        return self.start < self.name_start


def mentions(sentence: str) -> list[Mention]:
    toks = tokenize(sentence)
    out, i = [], 0
    while i < len(toks):
        j = i
        while j < len(toks) and toks[j].is_word and _NAME_PART.match(toks[j].text):
            j += 1
        run = [t for t in toks[i:j]]
        while run and run[0].norm in STOPWORDS:  # "The US strike…" at the start of a sentence
            run = run[1:]
        if len(run) >= 2:
            out.append(Mention(" ".join(t.norm for t in run[-2:]), run[0].start, run[-2].start, run[-1].end))
        i = j + 1 if j > i else i + 1
    return out


def _titles(words: str) -> bool:
    """Are the words a person's title: a rank or a role ("Major", "Deputy Prime Minister")?"""
    return any(t.norm in RANKS or t.norm in ROLES or t.norm in ROLE_MODIFIERS for t in tokenize(words))


def _name_conflicts(settings: CheckSettings, ids: list[int], vectors: np.ndarray, rows: dict,
                    positions: dict[int, int]) -> list[Contradiction]:
    """Titles given to one name by different articles, where the sentences are not near neighbours."""
    by_name: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for sid in ids:
        for m in mentions(rows[sid][0].text):
            if m.titled:
                by_name[m.key].append((sid, m))
    out = []
    for name, ms in by_name.items():
        if len(ms) > MAX_MENTIONS:
            continue
        for x, (sa, ma) in enumerate(ms):
            for sb, mb in ms[x + 1:]:
                (sent_a, doc_a), (sent_b, doc_b) = rows[sa], rows[sb]
                if doc_a.id == doc_b.id:
                    continue
                sim = float(np.clip(vectors[positions[sa]] @ vectors[positions[sb]], 0.0, 1.0))
                if sim >= settings.min_conflict:
                    continue  # near neighbours: compared whole
                wa, wb = sent_a.text[ma.start:ma.end], sent_b.text[mb.start:mb.end]
                for c in find_conflicts(wa, wb):
                    if c.kind != "entity" or c.severity != "contradiction" \
                            or not (_titles(c.claim_text) and _titles(c.evidence_text)):
                        continue  # "Scottish" / "British National Party": which body, not its title
                    span_a = (c.claim_span[0] + ma.start, c.claim_span[1] + ma.start)
                    span_b = (c.evidence_span[0] + mb.start, c.evidence_span[1] + mb.start)
                    ev = Evidence(doc_b.id, doc_b.title, doc_b.published, doc_b.source, sent_b.text,
                                  (sent_b.start, sent_b.end), sim, doc_b.url)
                    who = sent_a.text[ma.name_start:ma.end]
                    st_a = replace(_from_sentence(sent_a, doc_a, span_a),
                                   phrase=sent_a.text[span_a[0]:ma.name_start].strip())
                    st_b = replace(_from_evidence(ev, span_b), phrase=sent_b.text[span_b[0]:mb.name_start].strip())
                    out.append(Contradiction(
                        "entity", _severity(c, settings), c.confidence,
                        sim, f"{message(c, ev)} (the title of {who})", st_a, st_b, subject=who, via="name"))
    return out


# --- grouping into facts ------------------------------------------------------------------------

def _dedupe(found: list[Contradiction]) -> list[Contradiction]:
    """One entry per pair of places (a pair is compared in both directions)."""
    best: dict[tuple, Contradiction] = {}
    for c in found:
        key = (c.kind, frozenset({(c.a.doc_id, c.a.sentence_span, c.a.text.lower()),
                                  (c.b.doc_id, c.b.sentence_span, c.b.text.lower())}))
        old = best.get(key)
        rank = (c.severity == "contradiction", c.confidence, c.similarity)
        if old is None or rank > (old.severity == "contradiction", old.confidence, old.similarity):
            best[key] = c
    return list(best.values())


def counted_phrase(st: Statement) -> str:
    """The words a figure counts: 'American military personnel' in 'about 5,000 American military
    personnel still in…' (up to the last word of a known noun class among the next four)."""
    toks = [t for t in tokenize(st.sentence[st.span[1]:st.span[1] + 80])][:4]
    words = []
    for t in toks:
        if not t.is_word:
            break
        words.append(t)
    classes = noun_classes()
    last = max((i for i, t in enumerate(words) if lemma(t.text) in classes or t.norm in classes), default=-1)
    if last < 0:
        words = [t for t in words if t.norm not in STOPWORDS][:1]
    else:
        words = words[:last + 1]
    return " ".join(t.text for t in words)


def _context(st: Statement) -> str:
    """A few words next to the disputed ones: what the statement is about."""
    after = [t for t in tokenize(st.sentence[st.span[1]:])[:SUBJECT_WORDS]]
    words = []
    for t in after:
        if not t.is_word:
            break
        words.append(t.text)
    if words:
        return " ".join(words)
    before = tokenize(st.sentence[:st.span[0]])[-SUBJECT_WORDS:]
    return " ".join(t.text for t in before if t.is_word)


def _subject_key(c: Contradiction) -> tuple | None:
    """Conflicts about one named subject (the titles of one person) are one fact. Figures are not
    joined by their counted noun alone: in a large archive "£" or "people" joins unrelated facts."""
    return (c.kind, c.subject.lower()) if c.subject else None


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        self.parent[self.find(a)] = self.find(b)


def group(found: list[Contradiction]) -> list[Fact]:
    uf = _UnionFind()
    for i, c in enumerate(found):
        uf.union(("c", i), ("s", c.a.key))
        uf.union(("c", i), ("s", c.b.key))
        key = _subject_key(c)
        if key:
            uf.union(("c", i), ("subject",) + key)
    members: dict = defaultdict(list)
    for i, c in enumerate(found):
        members[uf.find(("c", i))].append(c)
    facts = [_fact(part) for cs in members.values() for part in _by_referent(cs)]
    # contradictions before notes; figures (what drifts most) first, then dates, names, wording
    facts.sort(key=lambda f: (f.severity != "contradiction", KINDS.index(f.kind) if f.kind in KINDS else 99,
                              -len({s.doc_id for s in f.statements}), -f.confidence, f.subject))
    return facts


def _who(c: Contradiction) -> str:
    """Who the conflict's statements are about (compare.referent), "" when neither names it."""
    for st in (c.a, c.b):
        r = referent(st.sentence, st.span)
        if r is not None:
            return r.key
    return c.subject.lower()


def _by_referent(cs: list[Contradiction]) -> list[list[Contradiction]]:
    """One fact has one subject: conflicts joined through a shared statement but said of different
    referents ("India grew 6.9%" / "the economy grew 9.5%" / "China grew 8%") are separate facts.
    Conflicts that name no referent go with the one referent of the group, or stand apart."""
    named: list[tuple[str, list[Contradiction]]] = []
    unnamed: list[Contradiction] = []
    for c in cs:
        who = _who(c)
        if not who:
            unnamed.append(c)
            continue
        group = next((g for k, g in named if same_referent(k, who)), None)
        if group is None:
            named.append((who, [c]))
        else:
            group.append(c)
    parts = [g for _, g in named]
    if unnamed:
        if len(parts) == 1:
            parts[0].extend(unnamed)
        else:
            parts.append(unnamed)
    return parts


def _fact(cs: list[Contradiction]) -> Fact:
    cs = sorted(cs, key=lambda c: (c.severity != "contradiction", -c.confidence, -c.similarity))
    kind = Counter(c.kind for c in cs).most_common(1)[0][0]
    statements: dict[tuple, Statement] = {}
    for c in cs:
        for st in (c.a, c.b):
            statements.setdefault(st.key, st)
    ordered = sorted(statements.values(), key=lambda s: (s.date is None, s.date or "", s.doc_id))
    subject = next((c.subject for c in cs if c.subject), "")
    if not subject:
        phrases = [counted_phrase(s) if kind == "number" else _context(s) for s in ordered]
        subject = " / ".join(dict.fromkeys(p for p in phrases if p)) or kind
    timeline = []
    if kind == "number":
        dated = [s for s in ordered if s.date and s.value is not None]
        if len({s.date for s in dated}) >= 2 and len({s.value for s in dated}) >= 2:
            timeline = [TimelinePoint(s.date, s.published is not None, s.value, s.text, s.title, s.doc_id)
                        for s in dated]
    fid = hashlib.sha1("|".join(repr(k) for k in sorted(statements)).encode()).hexdigest()[:12]
    return Fact(fid, kind, subject, ordered, cs, timeline)


def latest_mentioned_date(text: str) -> str | None:
    """The latest full date (day, month, year) an article's text mentions: an undated article was
    written on or after it."""
    found = [d for p in DATE_PATTERNS for m in p.finditer(text) if (d := parse_date(m.group()))]
    return max(found).isoformat() if found else None


def _with_dates(ws: Workspace, found: list[Contradiction]) -> list[Contradiction]:
    undated = {st.doc_id for c in found for st in (c.a, c.b) if not st.published}
    after = {}
    for doc_id in undated:
        doc = ws.store.document(doc_id)
        after[doc_id] = latest_mentioned_date(doc.text) if doc else None

    def fix(st: Statement) -> Statement:
        return st if st.published else replace(st, not_before=after.get(st.doc_id))
    return [replace(c, a=fix(c.a), b=fix(c.b)) for c in found]


# --- the report -------------------------------------------------------------------------------

def build_report(ws: Workspace, settings: CheckSettings) -> Report:
    """The corpus's own contradictions. Reads the store and index; writes nothing."""
    id_array, vectors = ws.store.vectors(ws.embedder.dim)
    ids = [int(i) for i in id_array]
    rows = ws.store.sentences_by_id(ids)
    ids = [i for i in ids if i in rows]
    positions = {sid: p for p, sid in enumerate(int(i) for i in id_array)}
    vectors = vectors[[positions[i] for i in ids]] if ids else vectors
    positions = {sid: p for p, sid in enumerate(ids)}
    found = _neighbour_conflicts(ws, settings, ids, vectors, rows) if ids else []
    found += _name_conflicts(settings, ids, vectors, rows, positions) if ids else []
    found = _with_dates(ws, _dedupe(found))
    return Report(ws.store.count_documents(), len(ids), group(found),
                  datetime.now(timezone.utc).replace(microsecond=0).isoformat())


class ReportCache:
    """One report per corpus state (sentence count, highest id) per process. The service builds it
    in a background thread on the first request after a change, so that a large archive does not
    hold a worker past its timeout; requests wait for it up to ``wait`` seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._report: Report | None = None
        self._building: tuple | None = None
        self._done = threading.Event()
        self.error: str | None = None

    def get(self, ws: Workspace, settings: CheckSettings, wait: float | None = None) -> Report | None:
        """The report of the corpus as it is now, or None when it is still being built after ``wait``
        seconds (None: wait as long as it takes)."""
        key = (id(ws), ws.store.state(), len(ws.index))
        with self._lock:
            if self._report is not None and self._key == key:
                return self._report
            if self._building != key:
                self._building, self._done, self.error = key, threading.Event(), None
                threading.Thread(target=self._build, args=(ws, settings, key, self._done),
                                 name="factlint-report", daemon=True).start()
            done = self._done
        done.wait(wait)
        with self._lock:
            if self.error:
                raise RuntimeError(f"building the report failed: {self.error}")
            return self._report if self._key == key else None

    def _build(self, ws: Workspace, settings: CheckSettings, key: tuple, done: threading.Event) -> None:
        try:
            report = build_report(ws, settings)
            with self._lock:
                self._report, self._key = report, key
        except Exception as exc:  # reported to the waiting request; the next request retries
            with self._lock:
                self.error = str(exc)
        finally:
            with self._lock:
                if self._building == key:
                    self._building = None
            done.set()
