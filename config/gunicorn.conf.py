"""gunicorn settings for factlint. Values come from FACTLINT_* variables (see config/default.toml).

Shutdown: SIGTERM (or SIGINT) to the master is graceful: workers stop accepting, finish the request
in hand (up to graceful_timeout) and exit; every acknowledged write is already committed to SQLite.

Metrics: each worker is a process, so prometheus_client runs in multiprocess mode. Its directory
(PROMETHEUS_MULTIPROC_DIR; a fresh temporary one unless set) is emptied at start, dead workers'
live gauges are dropped, and a temporary directory is removed at exit.

Access logs are the app's own JSON lines (service/factlint/api/logs.py), so gunicorn's are off.

The app is NOT preloaded: torch's OpenMP pool (and ONNX Runtime's thread pool) is not fork-safe (a
pool started in the master before fork() hangs every worker), so each worker loads the model after
the fork. With an ONNX backend (the default) the start-up hook below makes the ONNX export first,
once, in a child process, so workers only open it and never import torch. Each worker gets
cores / workers threads, so 2 workers on 2 cores do not oversubscribe.
"""
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from factlint.config import load_settings

_server = load_settings().server  # config/default.toml, FACTLINT_CONFIG, FACTLINT_SERVER_* (set by `factlint serve`)
bind = os.environ.get("FACTLINT_BIND", f"{_server.host}:{_server.port}")
workers = _server.workers
preload_app = False
control_socket_disable = True  # several servers (tests, replicas) on one machine must not share one
accesslog = None  # the app logs one JSON line per request (service/factlint/api/logs.py)
errorlog = "-"

# Worker model: gthread (gunicorn's threaded worker) with a read deadline per request and JSON error
# pages (factlint.api.gworker). Each worker answers `threads` requests at once, so a long draft or a
# slow client never holds the worker: /healthz and short checks get a thread of their own. The app
# lets at most [server] long_requests drafts, batches, writes or reports run at once per worker and
# admits no more of them than leaves threads free for the short ones (503 busy beyond; factlint.api.load).
# A worker accepts at most worker_connections connections; the rest wait in the kernel's queue for
# whichever worker has room. The main thread of a gthread worker keeps beating while requests run,
# so `timeout` only kills a worker whose loop is stuck; a request's own time limit is the app's
# [server] request_timeout (a JSON 503).
worker_class = "factlint.api.gworker.ThreadWorker"
threads = _server.threads
worker_connections = 4 * _server.threads
keepalive = 5
timeout = 120
graceful_timeout = 30
# gunicorn's largest request line (it answers 414 beyond, as JSON: factlint.api.gworker)
limit_request_line = 8190

_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_own_metrics_dir = not _metrics_dir
if _own_metrics_dir:
    _metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="factlint-metrics-")

_torch_threads = max(1, multiprocessing.cpu_count() // max(1, workers))  # per worker, shared by its threads
os.environ.setdefault("OMP_NUM_THREADS", str(_torch_threads))
os.environ.setdefault("MKL_NUM_THREADS", str(_torch_threads))
os.environ.setdefault("FACTLINT_MODEL_THREADS", str(_torch_threads))


def on_starting(server):
    """Empty the metrics directory of an earlier run; index the seed articles when the corpus is
    empty and check the index file (rebuilt from SQLite when damaged or stale), and make the ONNX
    export when the backend needs one and it is missing, in a child process: the master must never
    import torch or start a model (its thread pool would be inherited, broken, by every forked
    worker)."""
    import subprocess
    import sys

    Path(_metrics_dir).mkdir(parents=True, exist_ok=True)
    for f in Path(_metrics_dir).glob("*.db"):
        f.unlink()
    subprocess.run([sys.executable, "-m", "factlint", "index", "--seeds"], check=True)


def worker_exit(server, worker):
    """A worker told to stop (SIGTERM, SIGINT, SIGQUIT) has finished its request in hand and every
    write it acknowledged is committed: it exits at once instead of spending seconds tearing torch
    down. A worker leaving for any other reason (a boot error) exits the normal way."""
    server.log.info("worker %s stopped", worker.pid)
    if getattr(worker, "booted", False) and not worker.alive:
        import logging
        import sys

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    server.log.info("factlint stopped")
    if _own_metrics_dir:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
