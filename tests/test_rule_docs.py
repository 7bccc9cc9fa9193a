"""The rule pages (docs/rules/<kind>.md, shipped in the package): one per finding kind, with what
it checks, an example whose output is what `factlint compare` prints today, how to silence it and
its measured precision."""
from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from conftest import ROOT
from factlint.cli import cli
from factlint.lint import rules

SECTIONS = ["## What it checks", "## Example", "## Not a finding", "## How to silence it", "## Measured precision"]


def test_one_page_per_kind_and_nothing_else():
    pages = sorted(p.stem for p in (ROOT / "docs" / "rules").glob("*.md"))
    assert pages == sorted(rules.KINDS)
    for kind in rules.KINDS:
        page = rules.page(kind)
        assert page == (ROOT / "docs" / "rules" / f"{kind}.md").read_text()  # the package ships this file
        assert page.startswith(f"# {kind}: ") and rules.summary(kind)
        assert [line for line in page.splitlines() if line.startswith("## ")] == SECTIONS
        assert f"factlint-disable-next-line {kind}" in page and f'{kind} = "off"' in page
        # its precision is from the make eval run the README's measured tables quote
        assert f"make eval` (= `factlint eval`, {_measured_day()})" in page, kind


def _measured_day() -> str:
    """The day of the make eval run that README "Measured (`make eval`)" quotes."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Measured (`make eval`)"):]
    return re.search(r"\((\d{4}-\d{2}-\d{2}), \d{2}:\d{2} UTC", section).group(1)


@pytest.fixture
def runner(monkeypatch, embedder):
    monkeypatch.setattr("factlint.embeddings.Embedder.from_settings", staticmethod(lambda *a, **k: embedder))
    return CliRunner()


@pytest.mark.parametrize("kind", [k for k in rules.KINDS if "$ factlint compare" in rules.page(k)])
def test_the_example_prints_what_the_page_says(runner, kind):
    block = re.search(r"```console\n\$ factlint (compare .*?)\n(.*?)```", rules.page(kind), re.S)
    res = runner.invoke(cli, shlex.split(block.group(1)))
    assert res.exit_code == 1 and res.stdout == block.group(2)
    assert f"  {kind} [contradiction]: " in res.stdout
