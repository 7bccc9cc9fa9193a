"""`factlint report`: the corpus report written to a file (HTML or JSON) for people without the service."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factlint.cli import cli


@pytest.fixture
def runner(monkeypatch, embedder):
    # the command opens the data directory like any other; it gets the session's loaded model
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    return CliRunner()


def test_report_json_to_a_file(runner, seeded, tmp_path):
    out = tmp_path / "report.json"
    res = runner.invoke(cli, ["report", "--format", "json", "-o", str(out), "--data-dir", str(seeded.dir)])
    assert res.exit_code == 0, res.output
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["documents"] == 5 and body["total"] == len(body["facts"])
    troops = next(f for f in body["facts"] if {"about 5,000", "some 2,500"} <= set(f["values"]))
    assert troops["timeline"][0]["date"] == "2020-01-05"
    assert not list(tmp_path.glob(".*.tmp"))


def test_report_html_to_stdout_and_kind_filter(runner, seeded):
    res = runner.invoke(cli, ["report", "--kind", "entity", "--data-dir", str(seeded.dir)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("<!doctype html>")
    assert "Lieutenant General" in res.output and "Major General" in res.output
    assert "about 5,000" not in res.output


def test_report_on_an_empty_corpus_is_an_error(runner, tmp_path):
    res = runner.invoke(cli, ["report", "--data-dir", str(tmp_path / "empty")])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"factlint: error: the corpus in {tmp_path / 'empty'} is empty: run 'factlint index PATH...' first"]


def test_report_usage_errors_exit_2(runner, seeded, tmp_path):
    assert runner.invoke(cli, ["report", "--format", "pdf"]).exit_code == 2
    res = runner.invoke(cli, ["report", "-o", str(tmp_path / "missing-dir" / "r.html"), "--data-dir", str(seeded.dir)])
    assert res.exit_code == 2 and "cannot write" in res.output
