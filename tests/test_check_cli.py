"""`factlint check` as CI runs it: the real CLI in a subprocess, on draft files, against a real index
of the seed articles (and once through a real gunicorn service). Every run loads the model, so the
runs are few and each one is asserted on from several sides."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, free_port
from test_lint import CHECK_SCHEMA, SARIF_SCHEMA, git, init_repo

ENV = {k: v for k, v in os.environ.items() if not k.startswith("FACTLINT_")} | {"NO_COLOR": "1"}

# A contradiction of each seed-backed kind, one sentence per line so that lines are easy to name.
NUMBER = ("Iraq has found itself in a predicament as an ally of both Iran and the United States with "
          "about 9,000 American military personnel still in the country, namely as advisers.")
WORDING = ("Last month Iraq's parliament voted to remove US military from the country. The resolution, "
           "which was passed unanimously, instructed the government to cancel a request for military "
           "assistance.")
DATE = "A resolution calling for the withdrawal of foreign troops was adopted by the Iraqi parliament on Tuesday."
WRAP_NUMBER = NUMBER.index(" about")  # where the draft hard-wraps the sentence
WRAP_DATE = DATE.index(" was adopted")

STORY = f"""---
title: {NUMBER}
---
# Troops and the vote

{NUMBER[:WRAP_NUMBER]}
{NUMBER[WRAP_NUMBER + 1:]}

```text
{DATE}
```

Some background that the archive says nothing about, written for this draft only.

<!-- factlint-disable-next-line -->
{WORDING}

<!-- factlint-disable -->
{NUMBER}
<!-- factlint-enable -->

Inline code is not prose: `{NUMBER}` and neither are [link targets]({DATE.replace(' ', '-')}).

{DATE}
"""


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line that starts with ``needle``."""
    return [i for i, line in enumerate(text.splitlines(), 1) if line.startswith(needle)][nth]


STORY_LINES = {"number": line_of(STORY, NUMBER[:WRAP_NUMBER]), "date": line_of(STORY, DATE, 1)}
SKIPPED_LINES = {line_of(STORY, "title:"), line_of(STORY, DATE), line_of(STORY, WORDING),
                 line_of(STORY, NUMBER), line_of(STORY, "Inline code")}  # front matter, code block,
# suppressed next line, disabled block, inline code and link target

PAGE = f"""<html><head><title>Draft</title></head><body>
<h1>Vote</h1>
<p>{WORDING}</p>
<pre>{NUMBER}</pre>
</body></html>
"""
NOTES = f"Notes for the desk\n\n{DATE[:WRAP_DATE]}\n{DATE[WRAP_DATE + 1:]}\n"


def factlint(*args: str, cwd: Path, stdin: str = "", timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factlint", "check", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=ENV, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("factlint: error: "), proc.stderr
    assert "Traceback" not in proc.stderr and not proc.stdout
    return lines[0]


def contradictions(findings: list[dict]) -> set[tuple[str, int, str]]:
    """(path, line where the sentence starts, kind) of the contradictions."""
    return {(f["path"], f["sentence_line"], f["kind"]) for f in findings if f["severity"] == "contradiction"}


def json_findings(text: str) -> list[dict]:
    """The findings of a --format json report, validated against the schema shipped in the package."""
    body = json.loads(text)
    jsonschema.Draft202012Validator(CHECK_SCHEMA).validate(body)
    return body["findings"]


@pytest.fixture(scope="module")
def project(tmp_path_factory, seeded):
    """A newsroom repository: drafts, an excluded folder, and a factlint.toml pointing at the index."""
    root = tmp_path_factory.mktemp("newsroom")
    drafts = root / "drafts"
    (drafts / "old").mkdir(parents=True)
    (drafts / "story.md").write_text(STORY)
    (drafts / "page.html").write_text(PAGE)
    (drafts / "notes.txt").write_text(NOTES)
    (drafts / "old" / "ignored.md").write_text(f"{NUMBER}\n")
    (root / "factlint.toml").write_text(f'data_dir = "{seeded.dir}"\nexclude = ["drafts/old"]\n')
    return root


@pytest.fixture(scope="module")
def local_run(project):
    """One run over the directory and stdin: text on stdout, every other format written to files."""
    out = project / "out"
    out.mkdir()
    proc = factlint("drafts", "-", "--output", f"json={out}/r.json", "--output", f"sarif={out}/r.sarif",
                    "--output", f"github={out}/r.github", "--output", f"rdjsonl={out}/r.rdjsonl",
                    cwd=project, stdin=f"# From stdin\n\n{NUMBER}\n")
    return proc, out


def test_findings_on_the_right_lines_in_every_format(local_run):
    proc, out = local_run
    assert proc.returncode == 1, proc.stderr
    findings = json_findings((out / "r.json").read_text())
    assert contradictions(findings) >= {
        ("drafts/story.md", STORY_LINES["number"], "number"), ("drafts/story.md", STORY_LINES["date"], "date"),
        ("drafts/page.html", 3, "wording"), ("drafts/notes.txt", 3, "date"), ("-", 3, "number")}
    story = [f for f in findings if f["path"] == "drafts/story.md"]
    assert not {f["line"] for f in story} & SKIPPED_LINES
    assert not any(f["path"] == "drafts/page.html" and f["line"] == 4 for f in findings)  # <pre>
    assert not any("old" in f["path"] for f in findings)  # excluded by factlint.toml
    # the finding points at the figure, which the draft wrapped onto the sentence's second line
    number = next(f for f in story if f["kind"] == "number" and f["severity"] == "contradiction")
    wrapped = STORY_LINES["number"] + 1
    assert (number["line"], number["column"], number["end_line"], number["end_column"]) == (wrapped, 1, wrapped, 12)
    assert number["sentence"][slice(*number["claim_span"])] == "about 9,000" and number["sentence_column"] == 1
    assert "9,000" in number["message"] and "5,000" in number["evidence"][0]["sentence"]
    date = next(f for f in story if f["kind"] == "date")
    assert (date["line"], date["column"]) == (STORY_LINES["date"], DATE.index("Tuesday") + 1)
    assert date["replacements"] == [{"value": "Sunday"}]

    # text: path:line:col: kind: message, then the evidence title and date; no colour off a terminal
    lines = proc.stdout.splitlines()
    assert "\x1b[" not in proc.stdout
    head = next(i for i, line in enumerate(lines)
                if line.startswith(f"drafts/story.md:{STORY_LINES['date']}:{date['column']}: date: "))
    ev = date["evidence"][0]
    assert lines[head + 1] == f"    evidence: {ev['title']} ({ev['published']}): {ev['sentence']}"
    assert lines[head + 1 + len(date["evidence"])] == "    replace with: Sunday"
    assert sum(1 for line in lines if line.startswith(("drafts/", "-:"))) == len(findings)
    assert re.fullmatch(r"\d+ contradictions?, \d+ notes? in 4 files \(\d+ suppressed\)", lines[-2])
    assert int(re.search(r"(\d+) suppressed", lines[-2]).group(1)) >= 2
    assert lines[-1].startswith("'factlint explain KIND' says what a kind checks (")

    # sarif: valid SARIF 2.1.0, one result per finding at the same place
    sarif = json.loads((out / "r.sarif").read_text())
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(sarif)
    regions = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
               for r in sarif["runs"][0]["results"]]
    assert sorted(regions) == sorted((f["path"] if f["path"] != "-" else "stdin", f["line"], f["kind"])
                                     for f in findings)

    # github annotations and reviewdog diagnostics: one per finding
    gh = (out / "r.github").read_text().splitlines()
    assert len(gh) == len(findings)
    assert f"::error file=drafts/story.md,line={wrapped},col=1,endLine={wrapped},endColumn=12,title=factlint number::" \
        in "\n".join(gh)
    rd = [json.loads(line) for line in (out / "r.rdjsonl").read_text().splitlines()]
    assert sorted((d["location"]["path"], d["location"]["range"]["start"]["line"], d["code"]["value"])
                  for d in rd) == sorted((f["path"], f["line"], f["kind"]) for f in findings)


def test_a_running_service_gives_the_same_results(project, local_run, server):
    _, out = local_run
    proc = factlint("drafts", "-", "--server", server.url, "--format", "json", cwd=project,
                    stdin=f"# From stdin\n\n{NUMBER}\n")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout) == json.loads((out / "r.json").read_text())


def test_published_reads_the_drafts_relative_dates(project):
    draft = ("# Draft\n\nA resolution calling for the withdrawal of foreign troops was adopted by the Iraqi "
             "parliament yesterday.\n")
    def dates(*args):
        proc = factlint("-", "--format", "json", "--fail-on", "never", *args, cwd=project, stdin=draft)
        assert proc.returncode == 0, proc.stderr
        return [f["message"] for f in json_findings(proc.stdout) if f["kind"] == "date" and f["severity"] == "contradiction"]
    assert dates() == []  # "yesterday" / "on Sunday" say nothing against each other unread
    assert dates("--published", "2020-01-06") == []  # the day after the seed's Sunday, 2020-01-05
    assert any("'yesterday' is 2020-01-08" in m for m in dates("--published", "2020-01-09"))
    assert "%Y-%m-%d" in one_line_error(factlint("-", "--published", "9/1/2020", cwd=project, stdin=draft))


def test_baseline_accepts_old_findings_and_reports_new_ones(project, local_run, tmp_path):
    work = tmp_path / "copy"
    (work / "drafts").mkdir(parents=True)
    for name in ("story.md", "page.html", "notes.txt"):
        (work / "drafts" / name).write_text((project / "drafts" / name).read_text())
    (work / "factlint.toml").write_text((project / "factlint.toml").read_text())
    written = factlint("drafts", "--baseline", "accepted.json", "--write-baseline", cwd=work)
    assert written.returncode == 0, written.stderr
    entries = json.loads((work / "accepted.json").read_text())["findings"]
    local = json_findings((local_run[1] / "r.json").read_text())
    # one entry per (sentence, kind, article): a fact disputed by two articles is two entries
    assert len(entries) == len({(f["sentence"], f["kind"], a["doc_id"]) for f in local for a in f["evidence"]
                                if f["path"] != "-"})

    # the old findings move down three lines; one new contradiction is added
    story = work / "drafts" / "story.md"
    body = story.read_text().split("\n")
    story.write_text("\n".join(body[:4] + ["", "An added paragraph with no claim to check here.", ""]
                               + body[4:]) + "\n" + NUMBER.replace("9,000", "7,500") + "\n")
    new_line = len(story.read_text().splitlines())
    proc = factlint("drafts", "--baseline", "accepted.json", "--output", "json=new.json", "--fail-on", "never",
                    cwd=work)
    assert proc.returncode == 0, proc.stderr  # findings remain, but --fail-on never
    assert contradictions(json_findings((work / "new.json").read_text())) == {("drafts/story.md", new_line, "number")}
    baselined = int(re.search(r"(\d+) in baseline", proc.stdout.splitlines()[-2]).group(1))
    assert baselined == sum(1 for f in local if f["path"] != "-")


def action_step(name: str) -> dict:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    return next(step for step in action["runs"]["steps"] if step.get("name") == name)


def test_diff_through_the_github_action_script(tmp_path, seeded):
    """--diff against a real git repository, run by the composite action's own check step."""
    repo = tmp_path / "repo"
    init_repo(repo)
    (repo / "drafts").mkdir()
    (repo / "drafts" / "story.md").write_text(f"# Draft\n\n{NUMBER}\n\nSome background that the archive "
                                              f"says nothing about, written for this draft only.\n")
    (repo / "drafts" / "page.html").write_text(PAGE)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "draft")
    git(repo, "checkout", "-qb", "edit")
    (repo / "drafts" / "story.md").write_text((repo / "drafts" / "story.md").read_text() + f"\n{DATE}\n")
    git(repo, "commit", "-qam", "add a sentence")

    step = action_step("Check drafts")
    inputs = {"FACTLINT_DATA_DIR": str(seeded.dir), "FACTLINT_SERVER_URL": "", "CHECK_PATHS": "drafts",
              "FAIL_ON": "contradiction", "DIFF_BASE": "main", "BASELINE": "", "SARIF_FILE": "out.sarif"}
    assert set(step["env"]) == set(inputs)
    env = ENV | inputs | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 1, proc.stderr
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    column = DATE.index("Tuesday") + 1
    assert annotations and all(a.startswith(f"::error file=drafts/story.md,line=7,col={column},") for a in annotations)
    sarif = json.loads((repo / "out.sarif").read_text())
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(sarif)
    assert len(sarif["runs"][0]["results"]) == len(annotations)


def test_usage_and_runtime_errors_exit_2_with_one_line(tmp_path):
    draft = tmp_path / "d.md"
    draft.write_text(f"{NUMBER}\n")
    (tmp_path / "empty").mkdir()
    assert "give FILE" in one_line_error(factlint(cwd=tmp_path))
    assert "--format" in one_line_error(factlint("--format", "xml", "d.md", cwd=tmp_path))
    assert "no such file" in one_line_error(factlint("missing.md", cwd=tmp_path))
    assert "no index in" in one_line_error(factlint("d.md", "--data-dir", "empty", cwd=tmp_path))
    assert "cannot reach" in one_line_error(
        factlint("d.md", "--server", f"http://127.0.0.1:{free_port()}", cwd=tmp_path))
    assert "needs --baseline" in one_line_error(factlint("d.md", "--write-baseline", cwd=tmp_path))
    assert "not inside a git repository" in one_line_error(factlint("d.md", "--diff", "HEAD", cwd=tmp_path))
    (tmp_path / "b.json").write_text("{}")
    assert "not a factlint baseline" in one_line_error(
        factlint("d.md", "--baseline", "b.json", "--data-dir", "empty", cwd=tmp_path))
    (tmp_path / "factlint.toml").write_text("fail_on = 3\n")
    assert "bad configuration" in one_line_error(factlint("d.md", cwd=tmp_path))
