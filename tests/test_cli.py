"""The real CLI as a subprocess."""
import json
import subprocess
import sys

from conftest import ROOT, SEEDS


def run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "factlint", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300, env=env)


def test_help_for_every_command():
    for cmd in ([], ["index"], ["serve"], ["check"], ["compare"], ["eval"]):
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


def test_compare_command():
    r = run("compare", "The resolution was passed unanimously.", "The resolution was passed anonymously.",
            "--format", "json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["verdict"] == "contradiction" and out["findings"][0]["kind"] == "wording"
