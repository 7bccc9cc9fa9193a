"""The real CLI as a subprocess."""
import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT, SEEDS
from factlint.cli import cli
from factlint.lint import rules


def run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "factlint", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300, env=env)


def test_help_for_every_command():
    for cmd in ([], ["index"], ["serve"], ["check"], ["compare"], ["eval"], ["explain"], ["report"]):
        r = run(*cmd, "--help")
        assert r.returncode == 0 and "Usage:" in r.stdout


def test_index_then_check_drafts(tmp_path):
    data = tmp_path / "data"
    r = run("index", str(SEEDS), "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    assert "indexed 5 documents" in r.stdout
    draft = tmp_path / "draft.md"
    draft.write_text("# Draft\n\nSome text about the vote in a new piece today.\n\n"
                     "The resolution was passed unanimously, instructing the government to act.\n")
    clean = tmp_path / "clean.txt"
    clean.write_text("A new species of frog was discovered in the Amazon rainforest.\n")
    r = run("check", str(draft), str(clean), "--data-dir", str(data))
    assert r.returncode == 1, r.stderr
    column = "The resolution was passed unanimously".index("unanimously") + 1
    assert f"{draft}:5:{column}: wording: claim says unanimously" in r.stdout
    r = run("check", str(clean), "--data-dir", str(data), "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["findings"] == []
    r = run("check", str(draft), "--data-dir", str(data), "--fail-on", "never")
    assert r.returncode == 0


def test_errors_exit_2_with_one_line(tmp_path):
    r = run("check", str(tmp_path / "missing.md"), "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    r = run("index", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2 and r.stderr.startswith("factlint: error:") and "Traceback" not in r.stderr
    r = run("check", "--format", "xml", "x.md")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    empty = tmp_path / "empty"
    (tmp_path / "x.txt").write_text("Some sentence that is long enough to check.\n")
    r = run("check", str(tmp_path / "x.txt"), "--data-dir", str(empty))
    assert r.returncode == 2 and "empty" in r.stderr


def test_compare_command_prints_what_the_api_answers(seeded):
    from factlint.api import create_app

    a, b = "The resolution was passed unanimously.", "The resolution was passed anonymously."
    r = run("compare", a, b, "--format", "json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["verdict"] == "contradiction" and out["findings"][0]["kind"] == "wording"
    api = create_app(seeded.settings, workspace=seeded).test_client().post("/v1/compare", json={"a": a, "b": b})
    assert api.status_code == 200 and api.get_json() == out
    assert set(out["findings"][0]) == {"kind", "severity", "message", "confidence", "a", "b", "a_span", "b_span",
                                       "detail"}
    text = run("compare", a, b)
    assert text.stdout.splitlines() == [f"contradiction (similarity {out['similarity']:.2f})",
                                        f"  wording [contradiction]: {out['findings'][0]['message']}"]


def one_line(r, code=2) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("factlint: error: ") and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def test_version_help_and_usage_errors_in_one_line():
    r = run("--version")
    assert r.returncode == 0 and re.fullmatch(r"factlint \d+\.\d+\.\d+\S*\n", r.stdout)
    serve = run("serve", "--help").stdout
    for var in ("FACTLINT_DATA_DIR", "FACTLINT_STORE_SEED_DIR", "FACTLINT_SERVER_PORT", "FACTLINT_BIND",
                "FACTLINT_API_KEY", "FACTLINT_MODEL_BACKEND", "FACTLINT_CONFIG", "PROMETHEUS_MULTIPROC_DIR"):
        assert var in serve, var
    assert "Missing argument 'A'. (see 'factlint compare --help')" in one_line(run("compare"))
    assert "No such command 'chek'" in one_line(run("chek", "x.md"))
    assert "'pdf' is not one of 'html', 'json'" in one_line(run("report", "--format", "pdf"))
    assert "give PATH... to index, or --seeds (see 'factlint index --help')" in one_line(run("index"))
    assert "--column 'body': expected FIELD=NAME" in one_line(run("index", "x.jsonl", "--column", "body"))
    assert run().returncode == 0 and "Usage: factlint" in run().stdout


def test_shell_completion_script():
    r = subprocess.run([sys.executable, "-c", "from factlint.cli import main; main()"], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "_FACTLINT_COMPLETE": "bash_source"})
    assert r.returncode == 0 and "complete -o nosort -F _factlint_completion factlint" in r.stdout


def test_explain():
    r = run("explain")
    assert r.returncode == 0
    assert [line.split()[0] for line in r.stdout.splitlines()] == list(rules.KINDS)
    r = run("explain", "number")
    assert r.returncode == 0 and r.stdout == (ROOT / "docs" / "rules" / "number.md").read_text()
    assert "unknown kind 'numbers'; the kinds are number, date" in one_line(run("explain", "numbers"))


@pytest.fixture
def runner(monkeypatch, embedder):
    """The CLI in process, with the session's model (index and check open a data directory)."""
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    return CliRunner()


ARTICLE = ("---\ntitle: Parliament votes to expel troops\ndate: 2020-01-05\nurl: https://news.example/vote\n---\n"
           "The parliament in Baghdad voted on Sunday to expel the 5,000 foreign troops from the country.\n")


def test_index_an_archive_of_files_and_exports(runner, tmp_path, monkeypatch):
    archive, data = tmp_path / "archive", tmp_path / "data"
    for rel, text in {"x/vote.md": ARTICLE,
                      "y/vote.md": "# Another story about the parliament\n\nThe vote was not binding on the government.\n",
                      "y/vote.html": "<html><body><article><h1>The vote</h1><p>The government studied the "
                                     "resolution for a week.</p></article></body></html>",
                      "export.jsonl": '{"id": "e1", "title": "Exported", "body": "An exported article says that '
                                      'the vote was close."}\n{oops\n'}.items():
        (archive / rel).parent.mkdir(parents=True, exist_ok=True)
        (archive / rel).write_text(text)
    # an older data directory: the same file indexed under its name alone
    assert runner.invoke(cli, ["index", str(archive / "x" / "vote.md"), "--data-dir", str(data)]).exit_code == 0

    monkeypatch.setenv("FACTLINT_PROGRESS", "1")
    res = runner.invoke(cli, ["index", str(archive), "--column", "text=body", "--data-dir", str(data)])
    assert res.exit_code == 2
    assert res.stdout == f"indexed 3 documents, 3 sentences into {data}; 2 not indexed (errors above)\n"
    errors = [line for line in res.stderr.splitlines() if line.startswith("factlint: error: ")]
    assert errors == [
        f"factlint: error: {archive / 'export.jsonl'}:2: not JSON: Expecting property name enclosed in double quotes",
        f"factlint: error: {archive / 'y' / 'vote.md'}: its id 'y:vote' is already the id of "
        f"{archive / 'y' / 'vote.html'}: rename one of them (ids are paths relative to the indexed directory, "
        "without suffix)"]
    assert "indexing" in res.stderr and "doc" in res.stderr  # the progress bar, forced on
    assert "factlint: warning: the store also holds 1 document under the id a file in a subdirectory had " \
        "before (its name alone, e.g. 'vote')" in res.stderr

    from factlint.store import SQLiteStore

    store = SQLiteStore(data / "factlint.sqlite3")
    assert {d.id for d in store.list_documents(10)} == {"vote", "x:vote", "y:vote", "e1"}
    info = store.document_info("x:vote")
    assert (info.title, info.published, info.url, info.source) == (
        "Parliament votes to expel troops", "2020-01-05", "https://news.example/vote", "x/vote.md")

    # the article's URL is shown with its evidence
    draft = tmp_path / "draft.md"
    draft.write_text("The parliament in Baghdad voted on Sunday to expel the 9,000 foreign troops from the country.\n")
    monkeypatch.setenv("FACTLINT_PROGRESS", "0")
    res = runner.invoke(cli, ["check", str(draft), "--data-dir", str(data), "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    assert "(2020-01-05) <https://news.example/vote>: The parliament in Baghdad voted" in res.stdout


def test_a_configured_baseline_not_written_yet_is_a_warning(runner, seeded, tmp_path):
    (tmp_path / "factlint.toml").write_text(f'data_dir = "{seeded.dir}"\nbaseline = ".factlint-baseline.json"\n'
                                            '[rules]\nwordng = "off"\n')
    (tmp_path / "draft.md").write_text("The resolution was passed unanimously, instructing the government to act.\n")
    res = runner.invoke(cli, ["check", str(tmp_path / "draft.md")])
    assert res.exit_code == 1, res.output  # the finding is reported: nothing is accepted yet
    assert f"factlint: warning: baseline {tmp_path / '.factlint-baseline.json'} does not exist yet" in res.stderr
    assert "[rules] wordng: unknown kind (known kinds: number, date, negation" in res.stderr
    res = runner.invoke(cli, ["check", str(tmp_path / "draft.md"), "--write-baseline"])
    assert res.exit_code == 0 and (tmp_path / ".factlint-baseline.json").is_file()
    res = runner.invoke(cli, ["check", str(tmp_path / "draft.md")])
    assert res.exit_code == 0 and "(1 in baseline)" in res.stdout
