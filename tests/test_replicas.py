"""Replicas over one PostgreSQL: workspaces with their own data directories (in one process), then
real gunicorn replicas: a write through one is seen by the other within 1 s (LISTEN/NOTIFY, no
request needed), SIGKILL after an acknowledged write loses nothing, PostgreSQL restarted under load
answers 503 JSON and the replicas recover by themselves."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from pathlib import Path

import faiss
import numpy as np
import pytest
import requests
from click.testing import CliRunner

from conftest import API_KEY, SEEDS, Server, make_settings
from factlint.config import load_settings
from factlint.models import Document
from factlint.store import StoreUnavailable
from factlint.workspace import INDEX_FILE, Workspace

AUTH = {"Authorization": f"Bearer {API_KEY}"}


def pg_settings(data_dir, url, **sections):
    return load_settings(store={"data_dir": str(data_dir), "url": url}, **sections)


def index_ids(ws: Workspace) -> set[int]:
    return {int(i) for i in faiss.vector_to_array(ws.index.index.id_map)}


def doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, title=f"Title of {doc_id}", text=text, published="2021-03-04", source="test")


def test_workspaces_with_their_own_data_dirs_follow_one_postgres(tmp_path, pg_url, embedder):
    a = Workspace(pg_settings(tmp_path / "a", pg_url), embedder=embedder)
    b = Workspace(pg_settings(tmp_path / "b", pg_url), embedder=embedder)
    stop = threading.Event()
    follower = threading.Thread(target=b.follow, args=(stop,), daemon=True)
    follower.start()
    try:
        time.sleep(0.3)  # the follower is listening
        a.add([doc("d1", "The mayor opened a bridge over the Tyne on Friday. It cost 40 million pounds.")])
        written = time.perf_counter()
        while b.seq != a.seq and time.perf_counter() - written < 5:
            time.sleep(0.005)
        woke = time.perf_counter() - written
        assert b.seq == a.seq and woke < 1.0, f"replica b caught up after {woke:.3f} s"  # NOTIFY, not polling
        assert index_ids(b) == index_ids(a) and len(b.index) == 2
        a.delete("d1")
        deadline = time.time() + 5
        while len(b.index) and time.time() < deadline:
            time.sleep(0.005)
        assert len(b.index) == 0
    finally:
        stop.set()
        follower.join(10)
    # each replica's checkpoint is in its own data directory, tagged with the store it came from
    meta = json.loads((tmp_path / "b" / INDEX_FILE).with_suffix(".json").read_text())
    assert meta["store"] == a.store.id
    assert not (tmp_path / "a" / "factlint.sqlite3").exists()


def test_a_checkpoint_of_another_store_is_rebuilt(tmp_path, pg_url, embedder, caplog):
    sqlite_ws = Workspace(make_settings(tmp_path / "d"), embedder=embedder)
    sqlite_ws.add([doc("x", "Only the SQLite store holds this sentence about owls.")])
    pg = Workspace(pg_settings(tmp_path / "p", pg_url), embedder=embedder)
    pg.add([doc("y", "Only PostgreSQL holds this sentence about otters.")])
    # the PostgreSQL replica is handed the SQLite directory's checkpoint: same seq, other store
    (tmp_path / "p" / INDEX_FILE).write_bytes((tmp_path / "d" / INDEX_FILE).read_bytes())
    (tmp_path / "p" / INDEX_FILE).with_suffix(".json").write_text(
        (tmp_path / "d" / INDEX_FILE).with_suffix(".json").read_text())
    with caplog.at_level("WARNING", logger="factlint"):
        again = Workspace(pg_settings(tmp_path / "p", pg_url), embedder=embedder)
    assert "built from another store" in caplog.text
    assert index_ids(again) == {int(i) for i in again.store.vectors(embedder.dim)[0]}


def test_a_new_replica_starts_from_another_replicas_checkpoint(tmp_path, pg_url, embedder, caplog):
    """Copying a replica's index files into a new replica's data directory spares it the build: the
    file is of the same store, so it is loaded and caught up from the change log."""
    import shutil

    a = Workspace(pg_settings(tmp_path / "a", pg_url), embedder=embedder)
    a.add([doc("z", "Both replicas find this sentence about herons.")])
    (tmp_path / "b").mkdir()
    for f in (a.index_path, a.index_path.with_suffix(".json")):
        shutil.copy(f, tmp_path / "b" / f.name)
    a.add([doc("w", "Written after the copy, so caught up from the change log.")])
    with caplog.at_level("INFO", logger="factlint"):
        b = Workspace(pg_settings(tmp_path / "b", pg_url), embedder=embedder)
    assert "1 changes behind the store: catching up" in caplog.text
    assert "index read from" not in caplog.text and "rebuilt" not in caplog.text
    assert index_ids(b) == index_ids(a) == {int(i) for i in b.store.vectors(embedder.dim)[0]}


def test_migrate_a_sqlite_data_dir_into_postgres(seeded, pg_url, tmp_path):
    from factlint.cli import cli

    runner = CliRunner()
    for _ in range(2):  # running it again replaces, and finishes an interrupted migration
        r = runner.invoke(cli, ["migrate", "--to", pg_url, "--data-dir", str(seeded.dir), "--batch", "2"])
        assert r.exit_code == 0, r.output
        assert "copied 5 documents" in r.output
    from factlint.store.postgres import PostgresStore

    target = PostgresStore(pg_url)
    assert target.count_documents() == seeded.store.count_documents() == 5
    for d in seeded.store.documents():
        assert target.document(d.id) == d
    src_ids, src_vecs = seeded.store.vectors(seeded.embedder.dim)
    dst_ids, dst_vecs = target.vectors(seeded.embedder.dim)
    assert len(dst_ids) == len(src_ids) and np.array_equal(dst_vecs, src_vecs)  # copied, in the same order
    r = runner.invoke(cli, ["migrate", "--to", "sqlite:///x", "--data-dir", str(seeded.dir)])
    assert r.exit_code == 2 and "postgresql://" in r.output
    r = runner.invoke(cli, ["migrate", "--to", pg_url, "--data-dir", str(tmp_path / "none")])
    assert r.exit_code == 2 and "no store in" in r.output


def test_report_and_check_read_the_store_url(pg_url, tmp_path):
    from factlint.cli import cli

    runner = CliRunner()
    r = runner.invoke(cli, ["index", "--store-url", pg_url, "--data-dir", str(tmp_path / "ckpt"), str(SEEDS)])
    assert r.exit_code == 0 and "into postgresql://" in r.output, r.output
    draft = tmp_path / "draft.md"
    draft.write_text("# Draft\n\nIraq has about 2,500 American military personnel still in the country.\n")
    r = runner.invoke(cli, ["check", "--store-url", pg_url, "--data-dir", str(tmp_path / "ckpt2"), "--format",
                            "json", str(draft)])
    assert r.exit_code == 1, r.output
    assert any(f["kind"] == "number" for f in json.loads(r.output)["findings"])
    r = runner.invoke(cli, ["report", "--store-url", pg_url, "--data-dir", str(tmp_path / "ckpt2"), "--format",
                            "json", "--kind", "number"])
    assert r.exit_code == 0 and json.loads(r.output)["facts"], r.output[:300]


# --- two real gunicorn replicas over one PostgreSQL ---------------------------------------------
def replica(tmp_path, url, name: str) -> Server:
    return Server(tmp_path / name, workers=1, env={"FACTLINT_STORE_URL": url, "FACTLINT_API_KEY": API_KEY})


def ready(srv: Server) -> dict:
    return requests.get(srv.url + "/readyz", timeout=10).json()


@pytest.fixture(scope="module")
def replicas(postgres, tmp_path_factory, embedder):
    """Two 1-worker replicas over one database holding the seeds (indexed here with the session's
    model, so the replicas' start-up hooks do not index them again)."""
    name, url = postgres.database()
    tmp = tmp_path_factory.mktemp("replicas")
    Workspace(pg_settings(tmp / "seeding", url), embedder=embedder).add_paths([SEEDS])
    pair = [replica(tmp, url, "a"), replica(tmp, url, "b")]
    try:
        for srv in pair:
            srv.wait_ready()
        yield url, tmp, pair
    finally:
        for srv in pair:
            srv.stop()


def post(srv: Server, doc_id: str, text: str, timeout: float = 30) -> requests.Response:
    return requests.post(srv.url + "/v1/documents", headers=AUTH, timeout=timeout,
                         json={"id": doc_id, "title": f"About {doc_id}", "published": "2024-03-30", "text": text})


def evidence_of(srv: Server, claim: str) -> list[str]:
    r = requests.post(srv.url + "/v1/check", json={"claim": claim}, timeout=30)
    assert r.status_code == 200, r.text
    return [e["doc_id"] for e in r.json()["evidence"]]


@pytest.mark.slow
def test_a_write_through_one_replica_reaches_the_other_within_a_second(replicas):
    url, _, (a, b) = replicas
    assert ready(b)["store"]["backend"] == "postgresql" and "@" in ready(b)["store"]["url"]
    doc_id = f"lighthouse-{uuid.uuid4().hex[:6]}"
    claim = "The lighthouse at Skerryvore was repainted orange by 17 volunteers in March."
    sent = time.perf_counter()  # write -> visible on b: a's own write (embedding, commit) included
    r = post(a, doc_id, claim)
    assert r.status_code == 201 and r.json()["documents"][0]["created"], r.text
    head = ready(a)["store"]["head"]
    while ready(b)["store"]["change"] < head and time.perf_counter() - sent < 5:
        time.sleep(0.01)  # /readyz reads the index's change and never syncs: only the follower moves it
    lag = time.perf_counter() - sent
    assert ready(b)["store"]["change"] >= head and lag < 1.0, f"replica b applied the write {lag:.3f} s after it was sent"
    assert evidence_of(b, claim)[0] == doc_id
    # concurrent creates of one id through both replicas: exactly one of them created it
    twin = f"twin-{uuid.uuid4().hex[:6]}"
    answers = []
    threads = [threading.Thread(target=lambda s=s: answers.append(post(s, twin, claim + " Twice.")))
               for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [200, 201]
    assert sorted(r.json()["documents"][0]["created"] for r in answers) == [False, True]
    assert requests.delete(f"{b.url}/v1/documents/{doc_id}", headers=AUTH, timeout=30).status_code == 200
    assert doc_id not in evidence_of(a, claim)
    metrics = requests.get(a.url + "/metrics", timeout=10).text
    assert "factlint_replica_lag_changes" in metrics and "factlint_store_up 1.0" in metrics


@pytest.mark.slow
def test_sigkill_right_after_an_acknowledged_write_loses_nothing(replicas):
    url, tmp, (a, b) = replicas
    doc_id = f"killed-{uuid.uuid4().hex[:6]}"
    claim = "The ferry to Barra carried 412 passengers on its first winter crossing."
    r = post(a, doc_id, claim)
    assert r.status_code == 201
    os.killpg(a.proc.pid, signal.SIGKILL)  # the whole replica, master and worker
    a.proc.wait(30)
    a.log.close()
    assert evidence_of(b, claim)[0] == doc_id
    again = replica(tmp, url, "a")  # the same data directory: its checkpoint, caught up from the log
    try:
        again.wait_ready()
        state = ready(again)
        assert state["store"]["change"] == state["store"]["head"] and state["sentences"] == ready(b)["sentences"]
        assert evidence_of(again, claim)[0] == doc_id
    finally:
        again.stop()


@pytest.fixture
def restartable(postgres):
    """The session's PostgreSQL, when it is the tests' own (they may stop it)."""
    if postgres.server is None:
        pytest.skip("FACTLINT_TEST_POSTGRES_URL is not a server these tests may stop")
    return postgres


@pytest.mark.slow
def test_postgres_restarted_under_load(restartable, replicas):
    """Load on replica b while PostgreSQL goes down; replica a starts during the outage (its
    start-up hook and workers wait for the store); then PostgreSQL comes back."""
    postgres = restartable
    url, tmp, (_, b) = replicas
    stop = threading.Event()
    acked: list[str] = []
    bad: list[str] = []
    statuses: dict[int, int] = {}

    def load(srv: Server, k: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                if k == 0:
                    doc_id = f"load-{uuid.uuid4().hex[:8]}"
                    r = post(srv, doc_id, f"Load test article {i} says {i + 10} buses ran late on the {i}th.", 10)
                else:
                    r = requests.post(srv.url + "/v1/check", json={"claim": f"{i} buses ran late."}, timeout=10)
            except requests.RequestException as exc:
                bad.append(f"{srv.url}: {exc}")
                continue
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code not in (200, 201, 503) or not r.headers.get("content-type", "").startswith(
                    "application/json"):
                bad.append(f"{r.status_code} {r.text[:200]}")
            elif r.status_code == 503:
                assert r.json()["error"]["code"] == "store_unavailable"
                time.sleep(0.05)
            elif k == 0:
                acked.append(doc_id)

    threads = [threading.Thread(target=load, args=(b, k)) for k in (0, 1)]
    a, pg_down = None, False
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        postgres.server.down()
        pg_down = True
        a = replica(tmp, url, "a2")  # the fixture's first replica was killed by the test before
        time.sleep(3.0)
        assert requests.get(b.url + "/readyz", timeout=5).status_code == 503
        down = requests.get(b.url + "/metrics", timeout=5)  # the metrics still answer, and say so
        assert down.status_code == 200 and "factlint_store_up 0.0" in down.text
        postgres.server.up()
        pg_down = False
        a.wait_ready(timeout=120)  # it waited for the store and loaded once it was back
        deadline = time.time() + 20  # b answers again by itself
        while time.time() < deadline and requests.get(b.url + "/readyz", timeout=5).status_code != 200:
            time.sleep(0.2)
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        if pg_down:
            postgres.server.up()
    try:
        assert not bad, bad[:5]
        assert statuses.get(503, 0) > 0, statuses  # the outage was seen, and answered as JSON
        assert len(acked) > 2
        for doc_id in acked:  # every acknowledged write is there
            assert requests.get(f"{b.url}/v1/documents/{doc_id}", timeout=10).status_code == 200, doc_id
        deadline = time.time() + 10
        while time.time() < deadline:
            sa, sb = ready(a), ready(b)
            if sa["store"]["change"] == sb["store"]["change"] == sa["store"]["head"]:
                break
            time.sleep(0.1)
        assert sa["store"]["change"] == sa["store"]["head"] and sa["sentences"] == sb["sentences"], (sa, sb)
        assert "cannot be reached now: seeds not indexed" in Path(a.log.name).read_text()
    finally:
        if a is not None:
            a.stop()


def test_a_store_that_goes_away_raises_store_unavailable(tmp_path):
    from factlint.store.postgres import PostgresStore

    with pytest.raises(StoreUnavailable, match="unavailable"):
        PostgresStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_compose_file_names_real_settings():
    """compose.yaml cannot run here (no Docker engine): at least its settings are real ones."""
    import yaml

    compose = yaml.safe_load((SEEDS.parent / "compose.yaml").read_text())
    replicas_ = {k: v for k, v in compose["services"].items() if k.startswith("replica")}
    assert len(replicas_) == 2
    for svc in replicas_.values():
        env = {k: v.replace("${FACTLINT_DB_PASSWORD:-factlint}", "pw") for k, v in svc["environment"].items()}
        env["FACTLINT_API_KEY"] = "k"
        settings = load_settings(env=env)
        assert settings.store.url == "postgresql://factlint:pw@postgres:5432/factlint"
        assert all(p.startswith("127.0.0.1:") for p in svc["ports"])
        assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
