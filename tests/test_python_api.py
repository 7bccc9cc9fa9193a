"""The Python API: factlint.open(data_dir) and the archive's check, check_many, compare, add,
delete and report, on a real data directory (SQLite + FAISS files)."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

import factlint
from conftest import ROOT, SEEDS
from factlint.models import Document

TROOPS = "Iraq has about 5,000 American military personnel still in the country, mostly as advisers."
CLAIM = "Iraq has about 2,500 American military personnel still in the country, mostly as advisers."


@pytest.fixture
def archive(tmp_path, monkeypatch, embedder):
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    return factlint.open(tmp_path / "data")


def test_add_check_compare_delete(archive, tmp_path):
    assert archive.add({"id": "vote", "title": "Iraq votes", "published": date(2020, 1, 5),
                        "url": "https://news.example/vote", "text": TROOPS}) == [("vote", 1)]
    assert archive.add([Document("other", "Weather", "The weather in Paris was mild all week long.")]) == [("other", 1)]

    result = archive.check(CLAIM)
    assert result.verdict == "contradicted"
    finding = result.findings[0]
    assert (finding.kind, finding.evidence.doc_id, finding.evidence.url) == ("number", "vote", "https://news.example/vote")
    assert "claim says about 2,500; 'Iraq votes' (2020-01-05) says about 5,000" in finding.message
    many = archive.check_many([CLAIM, "A new species of frog was discovered in the Amazon rainforest."],
                              published="2020-01-07")
    assert [r.verdict for r in many] == ["contradicted", "unverified"]

    cmp = archive.compare("The resolution was passed unanimously.", "The resolution was passed anonymously.")
    assert cmp.verdict == "contradiction" and cmp.conflicts[0].kind == "wording"
    assert cmp.to_json()["findings"][0]["message"] == "a says unanimously; b says anonymously (words often confused)"

    assert archive.delete("vote") and not archive.delete("vote")
    assert archive.check(CLAIM).verdict == "unverified"

    # the same directory, opened again (as another process would): what was written is there
    again = factlint.open(tmp_path / "data")
    assert again.workspace.store.count_documents() == 1


def test_documents_without_id_or_title_and_bad_input(archive):
    [(doc_id, n)] = archive.add({"text": "Council backs homes\n\nThe council approved 300 new homes on Monday."})
    assert len(doc_id) == 16 and n == 1
    assert archive.workspace.store.document_info(doc_id).title == "Council backs homes"
    with pytest.raises(ValueError, match="unknown document fields"):
        archive.add({"text": "x", "body": "y"})
    with pytest.raises(ValueError, match="published: expected a date"):
        archive.add({"text": "Some text of the article.", "published": "someday"})
    with pytest.raises(ValueError, match="non-empty"):
        archive.check("   ")
    with pytest.raises(TypeError):
        archive.add([42])


def test_report_and_paths(archive, seeded, tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A vote\n---\nThe parliament voted on Sunday to expel the troops.\n")
    assert archive.add_paths(tmp_path / "a.md") == [("a", 1)]
    rep = factlint.open(seeded.dir).report()  # the session's seeded directory, only read
    facts = rep.select("number")
    assert any({"about 5,000", "some 2,500"} <= set(f.values) for f in facts)
    assert rep.to_json("number")["total"] == len(facts)


def test_a_store_url_opens_the_postgresql_store(tmp_path, monkeypatch, embedder, pg_url):
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    archive = factlint.open(tmp_path / "checkpoint", store_url=pg_url)
    assert archive.workspace.store.kind == "postgresql"
    assert archive.add({"id": "vote", "title": "Iraq votes", "text": TROOPS}) == [("vote", 1)]
    # another process's view of the same store (its own data directory for the index checkpoint)
    other = factlint.open(tmp_path / "elsewhere", store_url=pg_url)
    assert other.check(CLAIM).verdict == "contradicted"
    with pytest.raises(ValueError, match="postgresql://"):
        factlint.open(tmp_path / "x", store_url="mysql://localhost/news")


def test_importing_factlint_loads_nothing_heavy():
    code = "import sys, factlint; print(sorted(m for m in ('numpy', 'faiss', 'torch', 'onnxruntime') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
