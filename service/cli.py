"""The factlint command line: index, serve, check, compare, eval.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or runtime error (one line on stderr).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click

from .config import PROJECT_DIR, load_settings


class Failure(click.ClickException):
    """A runtime error: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"factlint: error: {self.format_message()}", err=True)


def _settings(data_dir: str | None, **sections):
    try:
        return load_settings(store={"data_dir": data_dir}, **sections)
    except Exception as exc:
        raise Failure(f"bad configuration: {exc}") from exc


def _workspace(settings):
    from .workspace import Workspace

    try:
        return Workspace(settings)
    except Exception as exc:
        raise Failure(str(exc)) from exc


data_dir_option = click.option(
    "--data-dir", envvar="FACTLINT_DATA_DIR", type=click.Path(file_okay=False),
    help="Directory of the SQLite store and index files [env FACTLINT_DATA_DIR; default: data].")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factlint")
def cli():
    """factlint: find where claims and drafts contradict an archive of articles."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--seeds", is_flag=True,
              help="Index the configured seed directory (store.seed_dir), only if the corpus is empty.")
@data_dir_option
def index(paths, seeds, data_dir):
    """Add articles (files, or directories of .txt/.md files) to the corpus index.

    A file's name (without suffix) is its document id: indexing it again replaces it."""
    from .corpus import iter_article_files, read_article

    if not paths and not seeds:
        raise click.UsageError("give PATH... to index, or --seeds")
    settings = _settings(data_dir)
    try:
        docs = [read_article(p) for p in iter_article_files(list(paths))]
    except (OSError, UnicodeError) as exc:
        raise Failure(str(exc)) from exc
    if paths and not docs:
        raise Failure("no article files found (looked for .txt, .text and .md)")
    ws = _workspace(settings)
    if seeds:
        n = ws.seed_if_empty()
        click.echo(f"indexed {n} seed articles into {ws.dir}" if n else
                   f"corpus in {ws.dir} is not empty: seeds not indexed", err=True)
    if docs:
        done = ws.add(docs)
        click.echo(f"indexed {len(done)} documents, {sum(c for _, c in done)} sentences into {ws.dir}")


@cli.command()
@click.option("--host", default=None, help="Address to bind [default: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default: 8000].")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="gunicorn workers [default: 2].")
@data_dir_option
def serve(host, port, workers, data_dir):
    """Run the HTTP service under gunicorn (config/gunicorn.conf.py).

    When the corpus is empty the seed articles are indexed first."""
    settings = _settings(data_dir, server={"host": host, "port": port, "workers": workers})
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if not gunicorn:
        raise Failure("gunicorn is not installed")
    env = dict(os.environ, FACTLINT_DATA_DIR=str(settings.store.data_dir),
               FACTLINT_SERVER_HOST=settings.server.host, FACTLINT_SERVER_PORT=str(settings.server.port),
               FACTLINT_SERVER_WORKERS=str(settings.server.workers))
    os.execve(gunicorn, [gunicorn, "-c", str(PROJECT_DIR / "config" / "gunicorn.conf.py"), "service.wsgi:app"], env)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def compare(a, b, fmt):
    """Compare two sentences: contradiction, consistent or unrelated, and why."""
    from .checker import compare_texts
    from .embeddings import Embedder

    settings = _settings(None)
    if not a.strip() or not b.strip():
        raise Failure("both sentences must be non-empty")
    embedder = Embedder(settings.model.name, settings.model.batch_size, settings.model.threads)
    rel, sim, conflicts = compare_texts(embedder, settings.check, a, b)
    if fmt == "json":
        click.echo(json.dumps({"verdict": rel, "similarity": round(sim, 4), "findings": [
            {"kind": c.kind, "severity": c.severity, "a": c.claim_text, "b": c.evidence_text,
             "a_span": list(c.claim_span), "b_span": list(c.evidence_span), "confidence": c.confidence}
            for c in conflicts]}))
    else:
        click.echo(f"{rel} (similarity {sim:.2f})")
        for c in conflicts:
            click.echo(f"  {c.kind} [{c.severity}]: a says {c.claim_text!r}; b says {c.evidence_text!r}")
    sys.exit(1 if rel == "contradiction" else 0)


FAIL_LEVELS = {"contradiction": {"contradiction"}, "note": {"contradiction", "note"}, "never": set()}


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(list(FAIL_LEVELS)), default="contradiction", show_default=True,
              help="Exit 1 when a finding at or above this severity is reported.")
@data_dir_option
def check(files, fmt, fail_on, data_dir):
    """Check drafts (Markdown or plain text; - for stdin) against the corpus index.

    Text output: path:line:column: kind: message, with the evidence on the next line."""
    from .checker import Checker
    from .drafts import draft_sentences

    drafts = []
    for f in files:
        try:
            text = sys.stdin.read() if f == "-" else Path(f).read_text(encoding="utf-8")
        except (OSError, UnicodeError) as exc:
            raise Failure(f"cannot read {f}: {exc}") from exc
        fmt_in = "markdown" if f.endswith((".md", ".markdown")) else "text"
        drafts.append((f, draft_sentences(text, fmt_in)))
    settings = _settings(data_dir)
    ws = _workspace(settings)
    if not ws.store.count_documents():
        raise Failure(f"the corpus in {ws.dir} is empty: run 'factlint index PATH...' first")
    checker = Checker(ws, settings.check)
    report, failing = [], False
    for path, sentences in drafts:
        results = checker.check_many([s.text for s in sentences]) if sentences else []
        for s, r in zip(sentences, results):
            for f in r.findings:
                failing |= f.severity in FAIL_LEVELS[fail_on]
                report.append((path, s, f))
    if fmt == "json":
        click.echo(json.dumps([{"path": p, "line": s.line, "column": s.column, "sentence": s.text,
                                **f.to_json()} for p, s, f in report], indent=2))
    else:
        for p, s, f in report:
            click.echo(f"{p}:{s.line}:{s.column}: {f.kind}: {f.message}")
            click.echo(f"    evidence: {f.evidence.sentence}")
    sys.exit(1 if failing else 0)


@cli.command(name="eval")
@click.argument("eval_dir", default=str(PROJECT_DIR.parent / "shared" / "eval"), type=click.Path())
@data_dir_option
def eval_cmd(eval_dir, data_dir):
    """Measure the checker on labelled data (default ../shared/eval): seed claims by kind."""
    from .evaluate import run

    try:
        run(Path(eval_dir), _settings(data_dir))
    except FileNotFoundError as exc:
        raise Failure(str(exc)) from exc


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="File to write [default: - (stdout)].")
@click.option("--kind", type=click.Choice(["number", "date", "entity", "negation", "antonym", "wording", "nli"]),
              default=None, help="Only facts with conflicts of this kind.")
@click.option("--notes", is_flag=True, help="Include facts whose conflicts are only notes.")
@data_dir_option
def report(fmt, output, kind, notes, data_dir):
    """Report where the corpus contradicts itself, grouped by fact, with dates (HTML or JSON).

    The same report as GET /report and GET /v1/contradictions, for people without the service."""
    from .report import build_report

    settings = _settings(data_dir)
    ws = _workspace(settings)
    if not ws.store.count_documents():
        raise Failure(f"the corpus in {ws.dir} is empty: run 'factlint index PATH...' first")
    rep = build_report(ws, settings.check)
    severity = "note" if notes else "contradiction"
    if fmt == "json":
        text = json.dumps(rep.to_json(kind, severity), indent=2, ensure_ascii=False) + "\n"
    else:
        from .web.render import render_report

        text = render_report(rep, kind=kind, severity=severity)
    if output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output)
    tmp = path.with_name(f".{path.name}.tmp")
    try:  # never a half-written report: write beside it, then rename
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise Failure(f"cannot write {output}: {exc}") from exc
    facts = len(rep.select(kind, severity))
    click.echo(f"wrote {facts} disputed fact{'s' if facts != 1 else ''} from {rep.documents} documents to {output}",
               err=True)


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a traceback to a user
        click.echo(f"factlint: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
