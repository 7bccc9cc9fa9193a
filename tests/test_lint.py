"""The parts of `factlint check` that need no model: prose extraction, suppression comments,
baselines, configuration discovery, --diff against a real git repository, output formats."""
from __future__ import annotations

import json
import subprocess
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest

from factlint.drafts import draft_sentences, format_for
from factlint.lint import baseline, config, formats, run, suppress
from factlint.lint.gitdiff import ChangedLines, GitError
from factlint.lint.positions import Lines, locate
from factlint.lint.run import LintFinding, Report

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json").read_text())


def where(sentences, needle):
    """(line, column) of the sentence containing ``needle``."""
    hits = [(s.line, s.column) for s in sentences if needle in s.text]
    assert len(hits) == 1, (needle, [s.text for s in sentences])
    return hits[0]


# --- drafts ---------------------------------------------------------------------------------------
MARKDOWN = """\
---
title: The parliament voted on a resolution about foreign troops today.
---
# The parliament voted on a resolution today

Iraqi members of parliament passed a resolution calling for foreign troops to leave
the country after the strike in Baghdad. About **5,000** American soldiers are in [Iraq](https://example.com/a_b "the country").

```text
The code block says that 7,000 American soldiers are stationed in Iraq.
```

    Indented code says that 8,000 American soldiers are stationed in Iraq.

- A list item saying that the vote was passed by a clear majority.
- Another item where `inline code says 9,000 soldiers are there` is ignored.

<!-- An HTML comment says that 6,000 American soldiers are stationed in Iraq. -->
| A table row says that 4,000 American soldiers are stationed in Iraq. |
> A quoted line says the withdrawal was agreed in July by both governments.
See https://example.com/a-very-long/path_with_words for the full text of the resolution.
"""


def test_markdown_prose_positions_and_what_is_skipped():
    sents = draft_sentences(MARKDOWN, "markdown")
    texts = " | ".join(s.text for s in sents)
    # a hard-wrapped paragraph sentence is one sentence, reported where it starts
    assert where(sents, "Iraqi members of parliament passed") == (6, 1)
    wrapped = next(s for s in sents if "Iraqi members" in s.text)
    assert wrapped.text.endswith("leave the country after the strike in Baghdad.")
    assert (wrapped.end_line, wrapped.start) == (7, MARKDOWN.index("Iraqi members"))
    # emphasis and link syntax removed, link text kept, column points into the original line
    assert where(sents, "About 5,000 American soldiers are in Iraq.") == \
        (7, MARKDOWN.splitlines()[6].index("About") + 1)
    assert where(sents, "A list item saying") == (15, 3)
    assert where(sents, "A quoted line says") == (20, 3)
    assert "Another item where is ignored." in texts
    for skipped in ("title:", "7,000", "8,000", "9,000", "6,000", "4,000", "https", "a_b", "the country\""):
        assert skipped not in texts, skipped
    assert "for the full text of the resolution" in texts  # the bare URL is gone, the sentence stays
    # the heading is not a claim: no final punctuation and short
    assert not any(s.text.startswith("The parliament voted") for s in sents)


def test_html_prose():
    page = """<!doctype html>
<html><head><title>The page title is not prose at all here</title>
<style>p { content: "Styles say 5,000 soldiers are stationed there."; }</style></head>
<body><h1>Headline</h1><p>The parliament voted on Sunday &amp; the resolution was
passed unanimously by the members present.</p><p>A second paragraph with <a href="https://x.y/z">a
link</a> in the middle of it.</p>
<pre>Preformatted code says 7,000 soldiers are stationed there.</pre>
<script>var s = "Scripts say 9,000 soldiers are stationed there.";</script>
<!-- A comment says 6,000 soldiers are stationed there now. -->
</body></html>"""
    sents = draft_sentences(page, "html")
    texts = [s.text for s in sents]
    assert texts == ["The parliament voted on Sunday & the resolution was passed unanimously by the "
                     "members present.", "A second paragraph with a link in the middle of it."]
    assert (sents[0].line, sents[0].column) == (4, page.splitlines()[3].index("The parliament") + 1)
    assert (sents[1].line, sents[1].end_line) == (5, 6)


def test_plain_text_wrapping_and_formats():
    text = ("Troops withdraw from Syria\n"
            "The US said on Monday that about 5,000 troops\n"
            "would leave the country by March. The decision was announced in Washington.\n")
    sents = draft_sentences(text, "text")
    assert [(s.text, s.line, s.column) for s in sents] == [
        ("The US said on Monday that about 5,000 troops would leave the country by March.", 2, 1),
        ("The decision was announced in Washington.", 3, 35)]
    assert [format_for(p) for p in ("a.md", "B.MARKDOWN", "c.html", "d.htm", "e.txt", "f")] == \
        ["markdown", "markdown", "html", "html", "text", "text"]
    with pytest.raises(ValueError):
        draft_sentences("x", "rst")


# --- suppression ----------------------------------------------------------------------------------
def test_suppression_comments():
    text = "\n".join([
        "line one",                                           # 1
        "<!-- factlint-disable-next-line -->",                # 2
        "line three",                                         # 3
        "line four",                                          # 4
        "<!-- factlint-disable-next-line number date -->",    # 5
        "line six",                                           # 6
        "<!-- factlint-disable -->",                          # 7
        "line eight",                                         # 8
        "<!-- factlint-enable -->",                           # 9
        "line ten",                                           # 10
        "<!--factlint-disable entity-->",                     # 11
        "line twelve",                                        # 12
    ])
    s = suppress.parse(text)
    assert s.covers(3, 3, "number") and not s.covers(4, 4, "number") and not s.covers(1, 1, "number")
    assert s.covers(6, 6, "date") and not s.covers(6, 6, "wording")
    assert s.covers(8, 8, "wording") and not s.covers(10, 10, "wording")
    assert s.covers(12, 12, "entity") and not s.covers(12, 12, "number")  # open to the end of the file
    assert s.covers(2, 4, "antonym")  # a sentence over lines 2-4 touches line 3


# --- baseline ---------------------------------------------------------------------------------
def article(doc="d1", published="2020-01-05", sentence="About 5,000 troops are in Iraq.", **kw):
    return {"doc_id": doc, "title": "Title, with: a colon", "published": published, "source": "", "url": "",
            "sentence": sentence, "span": [0, 30], "similarity": 0.9, "evidence_span": [0, 11],
            "severity": "contradiction", "message": "claim says about 9,000; 'T' says about 5,000", **kw}


def finding(path="a.md", line=3, sentence="About 9,000 troops are in Iraq.", kind="number", doc="d1",
            severity="contradiction", column=1, end_column=12, replacements=(), evidence=None):
    def byte_column(column):  # the sentence starts its line
        return len(sentence[:column - 1].encode()) + 1

    return LintFinding(path, line, column, line, end_column, sentence, kind, severity,
                       "claim says about 9,000; 'T' says about 5,000", 0.9, evidence or [article(doc)],
                       baseline.fingerprint(sentence, kind, doc), (column - 1, end_column - 1), line, 1,
                       byte_column(column), byte_column(end_column), tuple(replacements))


def test_baseline_roundtrip_and_fingerprints(tmp_path):
    fp = baseline.fingerprint
    assert fp("About 9,000  troops.", "number", "d1") == fp("about 9,000 troops.", "number", "d1")
    assert fp("About 9,000 troops.", "number", "d1") != fp("About 9,000 troops.", "date", "d1")
    assert fp("About 9,000 troops.", "number", "d1") != fp("About 9,000 troops.", "number", "d2")
    path = tmp_path / "b.json"
    assert baseline.dump(path, [finding(), finding(line=40, path="moved.md"), finding(kind="date")]) == 2
    assert baseline.load(path) == {finding().fingerprint, finding(kind="date").fingerprint}
    (tmp_path / "bad.json").write_text("[1, 2]")
    for bad in (tmp_path / "bad.json", tmp_path / "missing.json"):
        with pytest.raises(ValueError):
            baseline.load(bad)


# --- configuration --------------------------------------------------------------------------------
def test_config_discovery(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.factlint]\ndata_dir = "idx"\nfail_on = "note"\n'
                                             'exclude = ["drafts/old", "*.tmp.md"]\n[tool.factlint.check]\n'
                                             'min_conflict = 0.6\n')
    deep = tmp_path / "drafts" / "2020"
    deep.mkdir(parents=True)
    found = config.find(config.common_dir([str(deep / "a.md"), str(tmp_path / "drafts")]))
    assert found == tmp_path / "pyproject.toml"
    cfg = config.load(found)
    assert (cfg.data_dir, cfg.fail_on, cfg.check) == (str(tmp_path / "idx"), "note", {"min_conflict": 0.6})
    assert cfg.excluded(tmp_path / "drafts" / "old" / "x.md") and cfg.excluded(deep / "y.tmp.md")
    assert not cfg.excluded(deep / "y.md")
    # a factlint.toml nearer to the files wins
    (tmp_path / "drafts" / "factlint.toml").write_text('server = "http://127.0.0.1:9"\n')
    assert config.find(deep) == tmp_path / "drafts" / "factlint.toml"
    (tmp_path / "drafts" / "factlint.toml").write_text('fail_on = "sometimes"\n')
    with pytest.raises(ValueError, match="fail_on"):
        config.load(tmp_path / "drafts" / "factlint.toml")


# --- --diff ---------------------------------------------------------------------------------------
def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def init_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    git(repo, "config", "commit.gpgsign", "false")


def test_changed_lines_in_a_real_repository(tmp_path):
    repo = tmp_path / "repo"
    init_repo(repo)
    (repo / "a.md").write_text("one\ntwo\nthree\nfour\n")
    git(repo, "add", "a.md")
    git(repo, "commit", "-qm", "first")
    git(repo, "checkout", "-qb", "feature")
    (repo / "a.md").write_text("one\nTWO\nthree\nfour\nfive\n")
    git(repo, "commit", "-qam", "edit")
    (repo / "a.md").write_text("zero\none\nTWO\nthree\nfour\nfive\n")  # uncommitted too
    (repo / "new.md").write_text("brand new\n")
    changed = ChangedLines("main")
    assert changed.of(repo / "a.md") == {1, 3, 6}
    assert changed.of(repo / "new.md") is None  # untracked: everything is new
    assert ChangedLines("HEAD").of(repo / "a.md") == {1}
    with pytest.raises(GitError, match="not a revision"):
        ChangedLines("no-such-branch").of(repo / "a.md")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("x\n")
    with pytest.raises(GitError, match="not inside a git repository"):
        ChangedLines("HEAD").of(outside / "x.md")


# --- formats --------------------------------------------------------------------------------------
CHECK_SCHEMA = json.loads(resources.files("factlint").joinpath("lint/check.schema.json").read_text())


def test_formats_of_a_report():
    # a note on line 7 of a file whose name needs escaping, its disputed word after an "é"
    note = finding(path="dir/b, c #1.md", line=7, kind="date", severity="note", column=15, end_column=21,
                   sentence="Le comité met Monday.", evidence=[article(url="https://example.org/a?b=1")])
    report = Report([finding(replacements=["about 5,000"]), note], files=2, sentences=5)
    sarif = json.loads(formats.render("sarif", report, docs_url="https://docs.example/rules/"))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("number", "error", 3), ("date", "note", 7)]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == ["number", "date"]
    assert rules[results[0]["ruleIndex"]]["helpUri"] == "https://docs.example/rules/number.md"
    assert rules[results[0]["ruleIndex"]]["help"]["markdown"].startswith("# number: ")
    location = results[1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "dir/b%2C%20c%20%231.md"  # percent-encoded
    assert location["region"] == {"startLine": 7, "startColumn": 15, "endLine": 7, "endColumn": 21}
    assert location["contextRegion"]["snippet"]["text"] == "Le comité met Monday."
    fix = results[0]["fixes"][0]["artifactChanges"][0]
    assert fix["replacements"] == [{"deletedRegion": {"startLine": 3, "startColumn": 1, "endLine": 3,
                                                      "endColumn": 12}, "insertedContent": {"text": "about 5,000"}}]
    assert "fixes" not in results[1]
    bad = json.loads(formats.render("sarif", report))
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SARIF_SCHEMA).validate(bad)

    gh = formats.render("github", report).splitlines()
    assert gh[0].startswith("::error file=a.md,line=3,col=1,endLine=3,endColumn=12,title=factlint number::claim says")
    assert gh[1].startswith("::warning file=dir/b%2C c #1.md,line=7,col=15,endLine=7,endColumn=21,")
    assert "%0AReplace with: about 5,000%0AEvidence: Title, with: a colon (2020-01-05): About" in gh[0]
    assert "(2020-01-05) <https://example.org/a?b=1>: " in gh[1]

    rd = [json.loads(line) for line in formats.render("rdjsonl", report).splitlines()]
    # reviewdog columns are UTF-8 bytes: "Le comité met " is 14 characters, 15 bytes
    assert rd[1]["location"] == {"path": "dir/b, c #1.md", "range": {"start": {"line": 7, "column": 16},
                                                                     "end": {"line": 7, "column": 22}}}
    assert [d["severity"] for d in rd] == ["ERROR", "WARNING"]
    assert rd[0]["suggestions"] == [{"range": rd[0]["location"]["range"], "text": "about 5,000"}]
    assert rd[0]["code"]["value"] == "number" and rd[0]["code"]["url"].endswith("/rules/number.md")
    assert Path(urlparse(rd[0]["code"]["url"]).path).read_text().startswith("# number: ")  # the packaged page

    body = json.loads(formats.render("json", report))
    jsonschema.Draft202012Validator(CHECK_SCHEMA).validate(body)
    assert body["version"] == formats.JSON_VERSION and body["tool"]["name"] == "factlint"
    assert body["summary"] == {"files": 2, "sentences": 5, "contradictions": 1, "notes": 1, "suppressed": 0,
                               "baselined": 0, "outside_diff": 0}
    assert body["findings"][0]["replacements"] == [{"value": "about 5,000"}]
    body["findings"][0]["line"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(CHECK_SCHEMA).validate(body)

    text = formats.render("text", report).splitlines()
    assert text[0] == "a.md:3:1: number: claim says about 9,000; 'T' says about 5,000"
    assert text[1] == "    evidence: Title, with: a colon (2020-01-05): About 5,000 troops are in Iraq."
    assert text[2] == "    replace with: about 5,000"
    assert text[-2] == "1 contradiction, 1 note in 2 files"
    assert text[-1] == "'factlint explain KIND' says what a kind checks (date, number)"
    assert "\x1b[" in formats.render("text", report, color=True)
    assert report.failing("contradiction") and report.failing("note") and not report.failing("never")
    assert not Report([finding(severity="note")]).failing("contradiction")


# --- one finding per fact, pointing at the difference ------------------------------------------------
DRAFT = "# Troops\n\nIraq has **about 9,000**\nsoldiers in the country, officials said.\n"
CLAIM = "Iraq has about 9,000 soldiers in the country, officials said."


def check_finding(kind, severity, doc, published, evidence_text, claim_span=(9, 20), confidence=0.96,
                  replacements=()):
    sentence = f"Iraq had {evidence_text} soldiers in the country."
    ev = {"doc_id": doc, "title": f"Article {doc}", "published": published, "source": f"{doc}.txt",
          "sentence": sentence, "span": [0, len(sentence)], "similarity": 0.8, "url": f"https://news.example/{doc}"}
    return {"kind": kind, "severity": severity, "message": f"claim says about 9,000; 'Article {doc}' says {evidence_text}",
            "confidence": confidence, "claim_span": list(claim_span), "evidence_span": [9, 9 + len(evidence_text)],
            "replacements": [{"value": v} for v in replacements], "evidence": ev}


class Answers:
    """A backend with the answers of POST /v1/check/document given beforehand (the lint run's own
    logic under test; test_check_cli.py runs the real checker)."""

    def __init__(self, findings):
        self.findings = findings

    def check_document(self, text, fmt):
        start = text.index("Iraq")
        return [{"claim": CLAIM, "verdict": "contradicted", "confidence": 0.9, "findings": self.findings,
                 "evidence": [], "span": [start, len(text.rstrip())], "line": 3, "column": 1}]


def test_one_finding_per_fact_with_its_articles_newest_first():
    fix = ("about 5,000",)  # what the checker offers (verdict.py): both contradicting articles write it
    answers = Answers([check_finding("number", "contradiction", "a", "2020-01-05", "about 5,000", replacements=fix),
                       check_finding("number", "contradiction", "b", "2021-03-01", "about 5,000", replacements=fix),
                       check_finding("number", "note", "c", None, "2,500"),
                       check_finding("number", "contradiction", "a", "2020-01-05", "about 5,000"),  # same article
                       check_finding("entity", "contradiction", "d", "2020-01-06", "Iraqi", claim_span=(0, 4),
                                     replacements=("Iraqi",))])
    report = run.lint([run.Draft("d.md", DRAFT, "markdown")], answers)
    number, entity = sorted(report.findings, key=lambda f: f.kind, reverse=True)
    assert len(report.findings) == 2 and formats.summary(report)["contradictions"] == 2
    assert [a["doc_id"] for a in number.evidence] == ["b", "a", "c"]  # newest first, undated last
    assert number.message.endswith("says about 5,000 (and 2 more articles)")
    assert number.evidence[0]["url"] == "https://news.example/b"
    # the disputed words, not the sentence: "about 9,000" after the emphasis marks on line 3
    line3 = DRAFT.splitlines()[2]
    assert (number.line, number.column, number.end_line, number.end_column) == \
        (3, line3.index("about") + 1, 3, line3.index("9,000") + 6)
    assert (number.sentence_line, number.sentence_column, number.claim_span) == (3, 1, (9, 20))
    assert number.replacements == ("about 5,000",)  # the reported finding's, as the checker offered it
    assert (entity.column, entity.end_column, entity.replacements) == (1, 5, ("Iraqi",))


def test_rules_severity_and_unknown_kinds():
    answers = Answers([check_finding("number", "contradiction", "a", "2020-01-05", "about 5,000"),
                       check_finding("entity", "contradiction", "d", "2020-01-06", "Iraqi", claim_span=(0, 4))])
    draft = run.Draft("d.md", DRAFT + "<!-- factlint-disable-next-line nmber -->\n", "markdown")
    report = run.lint([draft], answers, rules={"number": "off", "entity": "note"})
    assert [(f.kind, f.severity) for f in report.findings] == [("entity", "note")]
    assert not report.failing("contradiction")
    assert report.warnings == ["d.md:5: unknown kind 'nmber' in a suppression comment (known kinds: "
                               "number, date, negation, antonym, entity, wording, nli)"]


def test_baseline_accepts_a_fact_only_with_all_its_articles(tmp_path):
    two = Answers([check_finding("number", "contradiction", "a", "2020-01-05", "about 5,000"),
                   check_finding("number", "contradiction", "b", "2021-03-01", "about 5,000")])
    drafts = [run.Draft("d.md", DRAFT, "markdown")]
    path = tmp_path / "b.json"
    assert baseline.dump(path, run.lint(drafts, Answers(two.findings[:1])).findings) == 1
    accepted = baseline.load(path)
    assert run.lint(drafts, Answers(two.findings[:1]), accepted=accepted).baselined == 1
    report = run.lint(drafts, two, accepted=accepted)  # a second article now disputes it
    assert report.baselined == 0 and len(report.findings) == 1
    assert baseline.dump(path, report.findings) == 2


def test_positions_in_characters_and_bytes():
    text = "Première ligne.\nLe comité a voté « oui » le 5 mai, a dit Anaïs.\n"
    lines = Lines(text)
    start = text.index("le 5 mai")
    p = lines.position(start)
    assert (p.line, p.column, p.byte_column) == (2, 26, 30)  # 25 characters before it, 4 of them 2 bytes
    sentence = "Le comité a voté « oui » le 5 mai, a dit Anaïs."
    at, to = locate(text, text.index("Le"), len(text) - 1, sentence, (sentence.index("5 mai"), sentence.index(",")))
    assert text[at:to] == "5 mai"
    html = "<p>Paris &amp; Rome signed a <b>treaty</b>\non 5 May 2020.</p>"
    sentence = "Paris & Rome signed a treaty on 5 May 2020."
    at, to = locate(html, 3, len(html) - 4, sentence, (sentence.index("treaty"), sentence.index(" on")))
    assert html[at:to] == "treaty"
    assert locate(html, 3, 10, sentence, (0, 0)) == (3, 10)  # no span: the whole sentence


def test_pre_commit_hooks_take_every_draft_format():
    import re as _re

    import yaml

    from factlint.drafts import SUFFIX_FORMATS

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["factlint", "factlint-system"]
    for hook in hooks:
        assert hook["entry"] == "factlint check --diff HEAD" and hook["require_serial"] and hook["pass_filenames"]
        files = _re.compile(hook["files"])
        assert all(files.search(f"drafts/story{suffix}") for suffix in SUFFIX_FORMATS), hook["files"]
        assert not files.search("service/factlint/cli.py") and not files.search("export.jsonl")
