"""The README says what is true: every `factlint` command it quotes parses with today's CLI, every
`make` target exists, its sample outputs are what the code prints, the Python example runs as
commented, the example factlint.toml loads, and the benchmark figures it quotes are in
bench/RESULTS.md. (The configuration table is test_docs.py's.)"""
from __future__ import annotations

import contextlib
import io
import json
import re
import shlex

import click
import pytest
from click.testing import CliRunner

from conftest import ROOT
from factlint.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    """The fenced block that follows ``<!-- marker -->``."""
    m = re.compile(r"^```\w*\n(.*?)^```", re.S | re.M).search(README, README.index(f"<!-- {marker} -->"))
    return m.group(1)


def section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + len(title))
    return README[start:end if end > 0 else None]


def code_blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block."""
    out, lang, lines = [], None, []
    for line in README.splitlines():
        if line.startswith("```"):
            if lang is None:
                lang, lines = line[3:].strip(), []
            else:
                out.append((lang, "\n".join(lines)))
                lang = None
        elif lang is not None:
            lines.append(line)
    return out


def quoted_commands() -> list[str]:
    """Every factlint command line in the README's shell blocks, and in its inline code."""
    out = []
    for lang, block in code_blocks():
        if lang not in ("sh", "console", "yaml", ""):
            continue
        for line in block.splitlines():
            m = re.search(r"(?:^|\$ |\| |\.venv/bin/|&& |- run: )(factlint (?:[^#`]|#(?! ))*)", line.strip())
            if m and "entry:" not in line:
                out.append(m.group(1).strip())
    out += [c for c in re.findall(r"`(factlint [^`]+)`", README) if "..." not in c and "KIND" not in c
            and "[" not in c]
    return out


def test_every_quoted_command_parses():
    commands = quoted_commands()
    assert len(commands) > 30
    for line in commands:
        words = shlex.split(line.replace("$(", "").replace("${", "{"))
        assert words[0] == "factlint", line
        if words[1:2] in (["--version"], ["--help"]):
            continue
        command = cli.commands.get(words[1])
        assert command is not None, f"no command {words[1]!r}: {line}"
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts + p.secondary_opts}
        options |= {"--help", "-h"}
        for word in words[2:]:
            if word == "--":
                break
            if word.startswith("-") and word != "-":
                assert word.split("=")[0] in options, f"{word} is not an option of factlint {words[1]}: {line}"


def test_every_make_target_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    quoted = set(re.findall(r"`make (\w[\w-]*)", README)) | set(re.findall(r"^make (\w[\w-]*)", README, re.M))
    assert quoted and quoted <= targets, quoted - targets


def test_the_quick_start_answer_is_what_the_service_answers(seeded):
    from factlint.api import create_app

    claim = "Iraq has about 2,500 American military personnel still in the country."
    assert f'"claim": "{claim}", "top_k": 2' in README
    answer = create_app(seeded.settings, workspace=seeded).test_client().post(
        "/v1/check", json={"claim": claim, "top_k": 2}).get_json()
    assert json.loads(block_after("curl-output")) == answer


@pytest.fixture
def runner(monkeypatch, embedder):
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    return CliRunner()


def test_the_sample_check_prints_what_the_readme_shows(runner, seeded, tmp_path, monkeypatch):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "story.md").write_text(block_after("sample-draft"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    res = runner.invoke(cli, ["check", "--data-dir", str(seeded.dir), "drafts/story.md"])
    assert res.exit_code == 1
    assert res.stdout == block_after("sample-output")


def test_the_example_configuration_loads(tmp_path):
    from factlint.lint import config

    (tmp_path / "factlint.toml").write_text(block_after("sample-config"))
    cfg = config.load(tmp_path / "factlint.toml")
    assert cfg.warnings == [] and cfg.rules == {"wording": "note"} and cfg.check == {"min_conflict": 0.6}


def test_the_python_example_runs_as_commented(tmp_path, monkeypatch, embedder):
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    monkeypatch.chdir(tmp_path)
    code = block_after("python-example")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    expected = [line.split("# ", 1)[1] for line in code.splitlines() if line.startswith("print(")]
    assert printed.getvalue().splitlines() == expected


def numbers(text: str) -> list[str]:
    return re.findall(r"(?<![\w.,])\d[\d,]*\.\d+", text)


def test_benchmark_figures_are_in_the_results_file():
    results = (ROOT / "bench" / "RESULTS.md").read_text()
    speed = section("### Speed").split("\n\n")[1]
    performance = section("## Performance")
    last_run = performance[performance.index("The last full run"):]  # its paragraph and table
    last_run = last_run[:last_run.index("\n\n", last_run.index("| target |"))] if "| target |" in last_run \
        else last_run[:last_run.index("\n\n")]
    for text in (speed, last_run):
        figures = numbers(text)
        assert figures, text[:80]
        for figure in figures:
            assert figure in results, f"{figure} is not in bench/RESULTS.md"


def test_rule_pages_quote_the_measured_figures_of_the_readme():
    measured = section("## How it decides")  # with its "Measured" part and the precision per kind
    for page in (ROOT / "docs" / "rules").glob("*.md"):
        precision = page.read_text().split("## Measured precision", 1)[1]
        for figure in numbers(precision):
            assert figure in measured, f"{page.name}: {figure} is not in the README's How it decides"
