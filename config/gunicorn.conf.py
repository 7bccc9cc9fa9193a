"""gunicorn settings for factlint. Values come from FACTLINT_* variables (see config/default.toml).

The app is NOT preloaded: torch's OpenMP pool is not fork-safe (a pool started in the master before
fork() hangs every worker), so each worker imports torch and loads the model after the fork. Each
worker gets cores / workers threads, so 2 workers on 2 cores do not oversubscribe.
"""
import multiprocessing
import os

host = os.environ.get("FACTLINT_SERVER_HOST", "127.0.0.1")
port = os.environ.get("FACTLINT_SERVER_PORT", "8000")
bind = os.environ.get("FACTLINT_BIND", f"{host}:{port}")
workers = int(os.environ.get("FACTLINT_SERVER_WORKERS", "2"))
threads = 1
worker_class = "sync"
preload_app = False
timeout = 120  # a worker loads the model in the background; long checks of big drafts are allowed
graceful_timeout = 30
control_socket_disable = True  # several servers (tests, replicas) on one machine must not share one
accesslog = "-"
errorlog = "-"

_torch_threads = max(1, multiprocessing.cpu_count() // max(1, workers))
os.environ.setdefault("OMP_NUM_THREADS", str(_torch_threads))
os.environ.setdefault("MKL_NUM_THREADS", str(_torch_threads))
os.environ.setdefault("FACTLINT_MODEL_THREADS", str(_torch_threads))


def on_starting(server):
    """Index the seed articles when the corpus is empty, in a child process: the master must never
    import torch (its thread pool would be inherited, broken, by every forked worker)."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "service.cli", "index", "--seeds"], check=True)
