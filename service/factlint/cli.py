"""The factlint command line: index, serve, check, compare, eval, report, migrate.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or runtime error (one line on stderr).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from .config import PROJECT_DIR, load_settings


class Failure(click.ClickException):
    """A runtime error: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"factlint: error: {self.format_message()}", err=True)


def _settings(data_dir: str | None, store_url: str | None = None, **sections):
    try:
        return load_settings(store={"data_dir": data_dir, "url": store_url}, **sections)
    except ValidationError as exc:  # one line: where and what, for each bad value
        raise Failure("bad configuration: " + "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc
    except Exception as exc:
        raise Failure(f"bad configuration: {exc}") from exc


def _workspace(settings):
    from .workspace import Workspace

    try:
        return Workspace(settings)
    except Exception as exc:
        raise Failure(str(exc)) from exc


def _corpus_size(settings) -> int | None:
    """Documents in the store, read without loading the model (0 when there is no store yet; None
    when its server cannot be reached now)."""
    from .store import StoreError, StoreUnavailable, open_store, store_exists

    try:
        return open_store(settings).count_documents() if store_exists(settings) else 0
    except StoreUnavailable:
        return None
    except StoreError as exc:
        raise Failure(str(exc)) from exc


data_dir_option = click.option(
    "--data-dir", envvar="FACTLINT_DATA_DIR", type=click.Path(file_okay=False),
    help="Directory of the SQLite store and index files [env FACTLINT_DATA_DIR; default: data].")
store_url_option = click.option(
    "--store-url", envvar="FACTLINT_STORE_URL", metavar="URL", default=None,
    help="A shared PostgreSQL store (postgresql://user:password@host:5432/db) instead of SQLite in "
         "--data-dir, which then holds only this process's index checkpoint [env FACTLINT_STORE_URL].")


def _one_line(exc: click.UsageError, ctx) -> Failure:
    return Failure(f"{exc.format_message()} (see '{ctx.command_path} --help')")


class _OneLineUsage(click.Command):
    """Every error is one line on stderr, usage errors included (click's own print the usage
    and a hint over three lines)."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _one_line(exc, ctx) from exc

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc, ctx) from exc


class _Group(click.Group):
    command_class = _OneLineUsage

    def parse_args(self, ctx, args):
        if not args:  # `factlint` alone: the help
            click.echo(ctx.get_help())
            ctx.exit(0)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _one_line(exc, ctx) from exc

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise _one_line(exc, ctx) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factlint", prog_name="factlint", message="%(prog)s %(version)s")
def cli():
    """factlint: find where claims and drafts contradict an archive of articles.

    \b
    Shell completion (bash; zsh and fish alike, with zsh_source or fish_source):
      eval "$(_FACTLINT_COMPLETE=bash_source factlint)"
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--seeds", is_flag=True,
              help="Index the configured seed directory (store.seed_dir), only if the corpus is empty.")
@click.option("--column", "column_specs", multiple=True, metavar="FIELD=NAME",
              help="In JSON Lines and CSV exports, read FIELD (id, title, published, url, text, source) "
                   "from the column NAME, e.g. --column text=body (repeatable) [default: the field's name].")
@data_dir_option
@store_url_option
@click.option("--dask", "dask_address", metavar="ADDRESS|local", default=None,
              help="Split, embed and write on a Dask distributed cluster: a scheduler address "
                   "(tcp://host:8786), or 'local' for one worker process per core on 127.0.0.1.")
@click.option("--batch", type=click.IntRange(1, 10_000), default=32, show_default=True,
              help="With --dask: articles per task, each written in one transaction.")
def index(paths, seeds, column_specs, data_dir, store_url, dask_address, batch):
    """Add articles to the corpus index: text (.txt), Markdown (.md, front matter title, date,
    url) and HTML (.html: title, date and URL from the page, the article's text) files, JSON Lines
    (.jsonl) and CSV (.csv) exports of one article a record, or directories of them.

    A file's id is its path relative to the directory named (or to its own directory, when the file
    is named) without suffix, directories joined by ':' (a/index.md is a:index): indexing it again
    replaces it. An export's records carry their own ids. A file that cannot be read is an error
    naming it, and the rest is indexed (exit code 2). With --dask the articles are split, embedded
    and written on a Dask cluster, then this process's index is caught up."""
    from . import importers
    from .importers import SUFFIXES, Columns, find_sources
    from .progress import bar
    from .store import describe

    if not paths and not seeds:
        raise click.UsageError("give PATH... to index, or --seeds")
    try:
        columns = Columns.parse(column_specs)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    settings = _settings(data_dir, store_url)
    if dask_address:
        if seeds:
            raise click.UsageError("--dask indexes PATH...; --seeds is for the server's start-up")
        _index_on_dask(settings, list(paths), dask_address, batch, columns)
        return
    sources, missing = find_sources(paths)
    if paths and not sources and not missing:
        raise Failure(f"no article files found (looked for {', '.join(sorted(SUFFIXES))})")
    size = _corpus_size(settings) if seeds and not paths else 0
    if seeds and not paths and (size != 0 or not settings.store.seed_dir):
        # the server's start-up hook: nothing to seed (or a store server that is down: the workers
        # wait for it), so no need to load the model here (each worker checks the index file
        # against the store when it opens the workspace); but make the ONNX export now, once, so
        # that workers find it and never import torch
        from .embeddings import ModelNotFound, prepare_model

        try:
            prepare_model(settings.model, settings.store.data_dir)
        except ModelNotFound as exc:
            raise Failure(str(exc)) from exc
        click.echo("no seed directory is set (store.seed_dir): seeds not indexed" if not settings.store.seed_dir
                   else f"corpus in {describe(settings)} is not empty: seeds not indexed" if size
                   else f"the store at {describe(settings)} cannot be reached now: seeds not indexed", err=True)
        return
    ws = _workspace(settings)
    if seeds:
        n = ws.seed_if_empty()
        click.echo(f"indexed {n} seed articles into {describe(settings)}" if n else
                   f"corpus in {describe(settings)} is not empty: seeds not indexed", err=True)
    if not paths:
        return
    problems = []
    with bar(importers.total(sources) + len(missing), "indexing", "doc") as progress:
        def problem(p) -> None:
            problems.append(p)
            progress.write(f"factlint: error: {p}", file=sys.stderr)

        done = ws.add_paths(list(paths), columns=columns, on_problem=problem, on_progress=progress.update)
    click.echo(f"indexed {len(done)} documents, {sum(c for _, c in done)} sentences into {describe(settings)}"
               + (f"; {len(problems)} not indexed (errors above)" if problems else ""))
    _warn_of_older_ids(ws, [doc_id for doc_id, _ in done])
    if problems:
        sys.exit(2)




def _warn_of_older_ids(ws, ids: list[str]) -> None:
    """Files in subdirectories used to get their bare name as their id: say when the store still
    holds documents under those older ids, which indexing the files again no longer replaces."""
    stems = {i.rsplit(":", 1)[1] for i in ids if ":" in i}
    older = sorted(ws.store.existing_ids(sorted(stems)) - set(ids)) if stems else []
    if older:
        click.echo(f"factlint: warning: the store also holds {len(older)} document{'s' * (len(older) != 1)} "
                   f"under the id a file in a subdirectory had before (its name alone, e.g. {older[0]!r}), "
                   "which indexing the file no longer replaces: delete them or index into a new data "
                   "directory", err=True)


def _index_on_dask(settings, paths: list[str], address: str, batch: int, columns) -> None:
    """`factlint index --dask`: ingest on the cluster, then catch this data directory's index up."""
    from . import ingest
    from .store import StoreError, describe

    try:
        report = ingest.run(settings, paths, address, batch=batch, columns=columns)
    except (OSError, UnicodeError, StoreError) as exc:
        raise Failure(str(exc)) from exc
    except ImportError as exc:
        raise Failure(f"--dask needs dask[distributed]: pip install 'factlint[scale]' ({exc})") from exc
    for problem in report.problems:
        click.echo(f"factlint: error: {problem}", err=True)
    if not report.documents:
        raise Failure("no articles found in " + ", ".join(paths))
    ws = _workspace(settings)  # loads the checkpoint and catches it up with the batches
    ws.checkpoint()
    click.echo(f"indexed {report.documents} documents, {report.sentences} sentences into {describe(settings)} "
               f"on {report.workers} Dask worker{'s' * (report.workers != 1)} in {report.seconds:.1f} s: "
               f"{report.rate:.1f} sentences/s"
               + (f" ({report.redone} batch{'es' * (report.redone != 1)} redone after a lost worker)"
                  if report.redone else "")
               + (f"; {len(report.problems)} not indexed (errors above)" if report.problems else ""))
    if report.problems:
        sys.exit(2)


@cli.command()
@click.option("--host", default=None, help="Address to bind [default: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default: 8000].")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="gunicorn workers [default: 2].")
@data_dir_option
@store_url_option
def serve(host, port, workers, data_dir, store_url):
    """Run the HTTP service under gunicorn (config/gunicorn.conf.py).

    When the corpus is empty the seed articles (store.seed_dir) are indexed first. With --store-url
    any number of these (replicas, on any machines) share one PostgreSQL; each keeps its index in
    memory.

    \b
    Environment (options win over it; every setting of config/default.toml is
    FACTLINT_<SECTION>_<KEY>, e.g. FACTLINT_CHECK_TOP_K):
      FACTLINT_DATA_DIR, FACTLINT_STORE_DATA_DIR   the data directory (--data-dir)
      FACTLINT_STORE_URL        a shared PostgreSQL store (--store-url)
      FACTLINT_STORE_SEED_DIR   articles indexed into an empty corpus ("" = none)
      FACTLINT_SERVER_HOST, FACTLINT_SERVER_PORT, FACTLINT_SERVER_WORKERS
      FACTLINT_BIND             gunicorn's bind address (wins over host and port)
      FACTLINT_API_KEY          bearer key for writes (FACTLINT_AUTH_API_KEY)
      FACTLINT_MODEL_BACKEND    onnx (default), onnx-int8 or torch
      FACTLINT_CONFIG           an extra TOML file of settings
      PROMETHEUS_MULTIPROC_DIR  the metrics directory (a temporary one by default)"""
    settings = _settings(data_dir, store_url, server={"host": host, "port": port, "workers": workers})
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if not gunicorn:
        raise Failure("gunicorn is not installed")
    env = dict(os.environ, FACTLINT_DATA_DIR=str(settings.store.data_dir),
               FACTLINT_SERVER_HOST=settings.server.host, FACTLINT_SERVER_PORT=str(settings.server.port),
               FACTLINT_SERVER_WORKERS=str(settings.server.workers), FACTLINT_STORE_URL=settings.store.url)
    os.execve(gunicorn, [gunicorn, "-c", str(PROJECT_DIR / "config" / "gunicorn.conf.py"), "factlint.wsgi:app"], env)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--a-published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The date of A's text: its relative dates (\"yesterday\") are read against it.")
@click.option("--b-published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The date of B's text.")
def compare(a, b, fmt, a_published, b_published):
    """Compare two sentences: contradiction, consistent or unrelated, and why."""
    from .checker import compare_texts, comparison_json, load_nli
    from .embeddings import Embedder

    settings = _settings(None)
    if not a.strip() or not b.strip():
        raise Failure("both sentences must be non-empty")
    embedder = Embedder.from_settings(settings.model)
    rel, sim, conflicts = compare_texts(embedder, settings.check, a, b, nli=load_nli(settings.nli),
                                        nli_settings=settings.nli,
                                        a_published=a_published.date() if a_published else None,
                                        b_published=b_published.date() if b_published else None)
    body = comparison_json(rel, sim, conflicts)
    if fmt == "json":
        click.echo(json.dumps(body, ensure_ascii=False))
    else:
        click.echo(f"{rel} (similarity {body['similarity']:.2f})")
        for f in body["findings"]:
            click.echo(f"  {f['kind']} [{f['severity']}]: {f['message']}")
    sys.exit(1 if rel == "contradiction" else 0)


@cli.command()
@click.argument("paths", nargs=-1, metavar="FILE|DIR|-...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "rdjsonl"]),
              default="text", show_default=True,
              help="text: path:line:col: kind: message; sarif: SARIF 2.1.0 for code scanning; github: "
                   "workflow annotations; rdjsonl: reviewdog diagnostics.")
@click.option("--fail-on", type=click.Choice(["contradiction", "note", "never"]), default=None,
              help="Exit 1 when a finding at or above this severity remains [config fail_on; "
                   "default: contradiction].")
@data_dir_option
@store_url_option
@click.option("--server", envvar="FACTLINT_SERVER_URL", metavar="URL",
              help="Check through a running factlint service (POST /v1/check/document) instead of "
                   "a local index [env FACTLINT_SERVER_URL; config server].")
@click.option("--stdin-format", type=click.Choice(["text", "markdown", "html"]), default="markdown",
              show_default=True, help="Format of a draft read from - (stdin).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), default=None,
              help="Accepted findings (a file written by --write-baseline): not reported [config baseline].")
@click.option("--write-baseline", is_flag=True,
              help="Write every current finding to the --baseline file and exit 0.")
@click.option("--diff", "diff_base", is_flag=False, flag_value="HEAD", default=None, metavar="[BASE]",
              help="Only sentences on lines changed since git revision BASE (default HEAD; "
                   "compared through the merge base with HEAD). Put it after the files or give BASE.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file [default: the nearest factlint.toml or pyproject.toml with "
                   "[tool.factlint] at or above the files].")
@click.option("--output", "outputs", multiple=True, metavar="FORMAT=PATH",
              help="Also write the report in FORMAT to PATH (repeatable), e.g. sarif=factlint.sarif "
                   "next to github annotations on stdout.")
@click.option("--color/--no-color", default=None,
              help="Colour the text format [default: only on a terminal, and not when NO_COLOR is set].")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The drafts' date: relative dates in them (\"yesterday\", \"last month\", \"on Monday\") "
                   "are read against it. Without it they are compared as written, so that a run does not "
                   "depend on the day it runs.")
def check(paths, fmt, fail_on, data_dir, store_url, server, stdin_format, baseline_path, write_baseline,
          diff_base, config_path, outputs, color, published):
    """Check drafts (Markdown, plain text or HTML files, directories of them, or - for stdin)
    against the archive: every prose sentence is compared with its near-duplicates.

    \b
    Text output: path:line:column: kind: message, where line:column is the disputed
    words (the figure, the name); below, every article that says otherwise (newest
    first: title, date, URL and sentence) and what to write instead when they agree.
    Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or runtime error.
    Suppress with <!-- factlint-disable-next-line [KIND...] --> or a
    <!-- factlint-disable [KIND...] --> ... <!-- factlint-enable --> block; turn a
    kind off or make it a note in factlint.toml ([rules] wording = "off").
    'factlint explain KIND' says what a kind checks."""
    from .lint import baseline as baseline_mod
    from .lint import config as lint_config
    from .lint.backends import BackendError, LocalBackend, ServerBackend
    from .lint.formats import render
    from .lint.gitdiff import GitError
    from .lint.run import Draft, changed_lines, find_files, lint, read_draft

    if not paths:
        raise Failure("give FILE, DIR or - (stdin) to check (see 'factlint check --help')")
    if paths.count("-") > 1:
        raise Failure("- (stdin) can be given once")
    try:
        cfg = lint_config.load(Path(config_path) if config_path else
                               lint_config.find(lint_config.common_dir(list(paths))))
    except ValueError as exc:
        raise Failure(f"bad configuration: {exc}") from exc
    for warning in cfg.warnings:
        click.echo(f"factlint: warning: {warning}", err=True)
    fail_on = fail_on or cfg.fail_on or "contradiction"
    server = server or (None if data_dir or store_url else cfg.server)
    baseline_path = baseline_path or cfg.baseline
    if write_baseline and not baseline_path:
        raise Failure("--write-baseline needs --baseline FILE (or baseline in the configuration)")
    if write_baseline and diff_base:
        raise Failure("--write-baseline records the whole drafts: it cannot be combined with --diff")
    if diff_base and "-" in paths:
        raise Failure("--diff cannot check stdin (-): git knows nothing of it")
    extra_outputs = []
    for spec in outputs:
        out_fmt, sep, out_path = spec.partition("=")
        if not sep or not out_path or out_fmt not in ("text", "json", "sarif", "github", "rdjsonl"):
            raise Failure(f"--output {spec!r}: expected FORMAT=PATH with FORMAT one of "
                          "text, json, sarif, github, rdjsonl")
        extra_outputs.append((out_fmt, out_path))

    try:
        files = find_files([p for p in paths if p != "-"], cfg)
        drafts = [read_draft(f) for f in files]
        changed = changed_lines(drafts, files, diff_base) if diff_base else None
        if "-" in paths:
            drafts.append(Draft("-", click.get_text_stream("stdin").read(), stdin_format))
    except (FileNotFoundError, GitError) as exc:
        raise Failure(str(exc)) from exc
    except (OSError, UnicodeError) as exc:
        raise Failure(f"cannot read a draft: {exc}") from exc
    if not drafts:
        click.echo("factlint: no drafts found (looked for .md, .markdown, .txt, .html files)", err=True)
        sys.exit(0)
    accepted = None
    if baseline_path and not write_baseline and not Path(baseline_path).exists():
        click.echo(f"factlint: warning: baseline {baseline_path} does not exist yet: every finding is new "
                   "(accept the current ones with --write-baseline)", err=True)
    elif baseline_path and not write_baseline:
        try:
            accepted = baseline_mod.load(baseline_path)
        except ValueError as exc:
            raise Failure(str(exc)) from exc
    try:
        day = published.date() if published else None
        if server:
            backend = ServerBackend(server, day)
        else:
            settings = _settings(data_dir or cfg.data_dir, store_url, check=cfg.check)
            backend = LocalBackend(settings, day)
        report = lint(drafts, backend, changed=changed, accepted=accepted, rules=cfg.rules)
    except BackendError as exc:
        raise Failure(str(exc)) from exc
    except (OSError, UnicodeError) as exc:
        raise Failure(str(exc)) from exc

    if write_baseline:
        try:
            n = baseline_mod.dump(baseline_path, report.findings)
        except OSError as exc:
            raise Failure(f"cannot write baseline {baseline_path}: {exc.strerror or exc}") from exc
        click.echo(f"factlint: wrote {n} accepted finding{'s' * (n != 1)} to {baseline_path}", err=True)
        sys.exit(0)
    for warning in report.warnings:
        click.echo(f"factlint: warning: {warning}", err=True)
    use_color = color if color is not None else (
        fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    for out_fmt, out_path in extra_outputs:
        try:
            text = render(out_fmt, report, docs_url=cfg.docs_url)
            Path(out_path).write_text(text + "\n" if text else "", encoding="utf-8")
        except OSError as exc:
            raise Failure(f"cannot write {out_path}: {exc.strerror or exc}") from exc
    output = render(fmt, report, color=use_color, docs_url=cfg.docs_url)
    if output:
        click.echo(output, color=use_color)
    sys.exit(1 if report.failing(fail_on) else 0)


@cli.command()
@click.argument("kind", required=False)
def explain(kind):
    """What a finding kind checks, with an example, how to silence it and its measured precision
    (the page docs/rules/KIND.md). Without KIND: the kinds, one line each."""
    from .lint import rules

    if kind is None:
        for k in rules.KINDS:
            click.echo(f"{k:<9} {rules.summary(k)}")
        return
    if kind not in rules.KINDS:
        raise Failure(f"unknown kind {kind!r}; the kinds are {rules.known()}")
    click.echo(rules.page(kind), nl=False)


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
@store_url_option
def report(fmt, output, kind, notes, data_dir, store_url):
    """Report where the corpus contradicts itself, grouped by fact, with dates (HTML or JSON).

    The same report as GET /report and GET /v1/contradictions, for people without the service."""
    from .report import build_report

    from .store import describe

    settings = _settings(data_dir, store_url)
    ws = _workspace(settings)
    if not ws.store.count_documents():
        raise Failure(f"the corpus in {describe(settings)} is empty: run 'factlint index PATH...' first")
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


@cli.command()
@click.option("--to", "to_url", required=True, metavar="URL",
              help="The PostgreSQL store to copy into (postgresql://user:password@host:5432/db).")
@data_dir_option
@click.option("--batch", type=click.IntRange(1, 10_000), default=200, show_default=True,
              help="Documents per transaction.")
def migrate(to_url, data_dir, batch):
    """Copy the SQLite store of --data-dir into a PostgreSQL store.

    Documents, sentences and their vectors are copied as they are (nothing is embedded again);
    a document already there is replaced, so an interrupted migration is finished by running it
    again. Then point the service at it: --store-url URL or FACTLINT_STORE_URL."""
    from .migrate import copy_store
    from .progress import bar
    from .store import DB_FILE, StoreError, describe, open_store

    source_settings = _settings(data_dir)
    target_settings = _settings(data_dir, to_url)
    if not target_settings.store.url:
        raise Failure("--to must be a postgresql:// URL")
    if not (Path(source_settings.store.data_dir) / DB_FILE).is_file():
        raise Failure(f"no store in {source_settings.store.data_dir} ({DB_FILE} is missing)")
    try:
        source, target = open_store(source_settings), open_store(target_settings)
        with bar(total=source.count_documents(), desc="migrating", unit="doc") as progress:
            documents, sentences = copy_store(source, target, batch, on_batch=progress.update)
    except StoreError as exc:
        raise Failure(str(exc)) from exc
    click.echo(f"copied {documents} documents, {sentences} sentences from {source_settings.store.data_dir} "
               f"to {describe(target_settings)} (now at change {target.head()})")


def main() -> None:
    try:
        cli.main(prog_name="factlint", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a traceback to a user
        click.echo(f"factlint: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
