"""bench/RESULTS.md from the results dict: the tables (every served figure next to its floor), the
targets of issue 15 met or missed by how much, what bounds each one missed, and the load average
at every step."""
from __future__ import annotations

HOW = """\
## How the numbers are made

- **Load average.** This machine is shared; every step logs the 1-minute load average (table
  "Steps"), and every ratio below is of two figures measured in the same run, close together.
- **Corpus.** `../shared/corpora/bbc/` (2,225 articles): every 10th article is held out; the
  others are parsed and split by the service's own `corpus`/`sentences` modules. Claims for
  `/v1/check` and recall queries are held-out sentences (6+ words), distinct claims for every
  request (no cache hits) unless said; the CLI draft is held-out articles as Markdown sections,
  cut at 1,500 words.
- **Sizes past the real sentence count** (`bench/data.py`): the first M real sentences are encoded
  once; sentence j >= M gets real sentence (j mod M)'s vector plus Gaussian noise with the real
  vectors' covariance, scaled so that the grown sentences' median similarity to their nearest
  neighbour equals the real sentences' median among themselves (bisection; table "Corpus"),
  re-normalized, stored with its source's text in synthetic documents of 20 sentences written
  straight into the SQLite store; the index is then built by the service (`Workspace`).
- **Floors.** The encoder on one sentence (`Embedder.encode_uncached([s])`, in-process) plus one
  search of the index held in memory as built, for the same claim, right after each sequential
  `/v1/check` request (alternated). **Served** figures use the index as `factlint serve` uses it:
  a new `Workspace` that loads the index file (memory-mapped for IVF).
- **Encoder GFLOP/s** = the transformer's multiply-adds for the sentences' real token counts (no
  padding) / time, against the **sgemm peak**: numpy's float32 1024x1024 matrix product on every
  core, best of 7.
- **ONNX Runtime options**: one Embedder per option value; in each round every variant encodes the
  same single sentences and the same 64-claim batch, the order alternating between rounds; medians
  over rounds.
- **Ingest** is `Workspace.add_paths` (what `factlint index FILES` runs) on real article files,
  in-process, against `Embedder.encode_uncached` on exactly the same sentences; alternated, medians.
- **/v1/check** goes through `factlint serve` (gunicorn with the tree's `config/gunicorn.conf.py`,
  the configured threads per worker) on a free port on 127.0.0.1: sequential requests (c = 1),
  the same claims again (cached), claims/s with c = 1, 2, 4 client threads, and
  `/v1/check/batch` with 64 claims, each batch alternated with the raw encoder on the same claims.
- **Memory per sentence** = (RSS after opening the workspace — index load — and running the query
  set − RSS of the same process with only the model loaded) / sentences. A mapped index's pages are
  counted in RSS once touched (shared between workers).
- **Recall@10** = share of the exact top-10 (flat inner product over the same vectors) that the
  served index returns, over 400 held-out claims, a returned sentence as similar as the exact
  10th counting as found (ties: duplicate sentences); `recall_at_10_by_id` in results.json
  counts ids only.
- **CLI** = wall time of `factlint check draft.md --data-dir ...` as a new process.
- **txtai** (`bench/vs_txtai.py`): the same real sentences and model, txtai's defaults.
"""


def _f(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def _http(r: dict, workers: int) -> dict | None:
    return next((h for h in r.get("http") or [] if h["workers"] == workers), None)


def floor_ms(r: dict, h: dict | None = None) -> float | None:
    """One check's floor at this size: the encoder on one sentence + one in-memory search, measured
    alternately with the HTTP requests (``h``), else in the in-process step."""
    if h and h.get("floor_ms_p50"):
        return h["floor_ms_p50"]
    b, m = r.get("in_process"), r.get("in_memory")
    return b["encode_ms_p50"] + m["search_ms_p50"] if b and m else None


def _big_sizes(sizes: dict) -> list[str]:
    """The sizes the latency targets are checked at: 100k and 1M, or the largest there is."""
    big = [n for n in sizes if int(n) >= 100_000]
    return big or ([max(sizes, key=int)] if sizes else [])


def targets(res: dict) -> list[dict]:
    out = []

    def add(target, value, limit, at_least=False, note=""):
        if value is None:
            return
        out.append({"target": target, "value": value, "limit": limit,
                    "met": value >= limit if at_least else value <= limit, "at_least": at_least, "note": note})

    sizes = res["sizes"]
    for n in _big_sizes(sizes):
        r, h = sizes[n], _http(sizes[n], 1)
        fl = floor_ms(r, h)
        if h and fl:
            add(f"/v1/check p50 / (encoder + in-memory search), 1 worker, c=1, {int(n):,}",
                h["check_ms_p50"] / fl, 1.2, note=f"{h['check_ms_p50']:.1f} ms vs floor {fl:.1f} ms")
        if h and h.get("batch_raw_encoder_claims_per_s"):
            add(f"/v1/check/batch (64 claims) / raw encoder on the same claims, {int(n):,}",
                h["batch_claims_per_s"] / h["batch_raw_encoder_claims_per_s"], 0.9, at_least=True,
                note=f"{h['batch_claims_per_s']:.0f} vs {h['batch_raw_encoder_claims_per_s']:.0f} claims/s")
    if sizes:
        n = max(sizes, key=int)
        r, h = sizes[n], _http(sizes[n], 1)
        if h and (h.get("encoder_ms_p50") or r.get("in_process")):
            e = h.get("encoder_ms_p50") or r["in_process"]["encode_ms_p50"]
            add(f"/v1/check p50 / encoder alone, {int(n):,}", h["check_ms_p50"] / e, 1.6,
                note=f"{h['check_ms_p50']:.1f} vs {e:.1f} ms")
        add(f"served search p50 <= 2 ms, {int(n):,}", r["served"]["search_ms_p50"], 2.0,
            note=f"recall@10 {r['recall_at_10']:.3f}")
        h2 = _http(r, 2)
        if h and h2 and "4" in h2["scaling"] and "1" in h["scaling"]:
            add(f"2 workers at c=4 / 1 worker at c=1, claims/s, {int(n):,}",
                h2["scaling"]["4"]["claims_per_s"] / h["scaling"]["1"]["claims_per_s"], 1.7, at_least=True,
                note=f"{h2['scaling']['4']['claims_per_s']:.0f} vs {h['scaling']['1']['claims_per_s']:.0f} claims/s")
        add(f"memory <= 2 KB per sentence, {int(n):,}", r["memory"]["bytes_per_sentence"], 2048)
    for n, r in sizes.items():
        if r["index"]["kind"] != "flat":
            add(f"recall@10 >= 0.98, {int(n):,}", r["recall_at_10"], 0.98, at_least=True)
    ing = res.get("ingest")
    if ing:
        add("factlint index / raw encoder (same sentences)", ing["ratio"], 0.95, at_least=True,
            note=f"{ing['documents']} articles, {ing['sentences']:,} sentences")
    peak = res.get("peak", {}).get("gflops")
    enc = res["encoder"].get(res["model"]["backend"], {})
    if peak:
        if enc.get("single_gflops"):
            add("encoder achieved / sgemm peak, one sentence", enc["single_gflops"] / peak, 0.6, at_least=True,
                note=f"{enc['single_gflops']:.0f} of {peak:.0f} GFLOP/s")
        conf = (res.get("onnx_options") or {}).get("variants", {}).get("configured")
        if conf:
            add("encoder achieved / sgemm peak, 64-claim batch", conf["batch_gflops"] / peak, 0.85, at_least=True,
                note=f"{conf['batch_gflops']:.0f} of {peak:.0f} GFLOP/s")
        if ing and ing.get("ingest_gflops"):
            add("encoder achieved / sgemm peak, ingest", ing["ingest_gflops"] / peak, 0.85, at_least=True,
                note=f"{ing['ingest_gflops']:.0f} of {peak:.0f} GFLOP/s")
    mid = sizes.get("100000")
    if mid:
        add("1,500-word draft by the CLI, cold, <= 5 s, 100,000", mid["cli_check"]["seconds"], 5.0)
    tx = res.get("txtai") or {}
    if "cold_seconds" in tx:
        c = tx["cold_seconds"]
        add("vs txtai: cold start to first answer, txtai / factlint (keep > 1)", c["txtai"] / c["factlint"], 1.0,
            at_least=True, note=f"{c['factlint']:.2f} s vs {c['txtai']:.2f} s")
        t = tx["retrieve_ms_p50"]
        add(f"vs txtai: in-process retrieve p50 at {tx['sentences']:,}, txtai / factlint", t["txtai"] / t["factlint"],
            1.5, at_least=True, note=f"{t['factlint']:.1f} ms vs {t['txtai']:.1f} ms")
    return out


def markdown(res: dict) -> str:
    v = res["versions"]
    peak = res.get("peak", {}).get("gflops")
    lines = ["# factlint benchmarks", "",
             f"Run {res['started']} on {res['cores']} cores; "
             + ", ".join(f"{k} {val}" for k, val in v.items())
             + (" — **quick run**" if res["quick"] else "") + "."
             + (f" Whole run: {res['total_seconds'] / 60:.0f} min." if res.get("total_seconds") else ""),
             f"Index settings: `{res['index']}`.", f"Model settings: `{res['model']}`.",
             f"BBC: {res['bbc']['indexed_articles']} articles indexed, {res['bbc']['held_out_articles']} held out, "
             f"{res['bbc']['real_sentences']:,} real sentences."]
    if peak:
        lines += ["", f"sgemm peak (numpy float32, every core): **{peak:.0f} GFLOP/s** "
                  f"(load {res['peak']['load']:.2f})."]
    lines += ["", "## Targets (issue 15)", "", "| target | measured | limit | met | |", "|---|---:|---:|---|---|"]
    for t in res["targets"]:
        lim = ("≥ " if t["at_least"] else "≤ ") + f"{t['limit']:g}"
        lines.append(f"| {t['target']} | {_f(t['value'], 2)} | {lim} | {'yes' if t['met'] else 'NO'} | {t['note']} |")
    lines += ["", "## What bounds the targets not met", ""] + bounds(res)

    lines += ["", "## Encoder", "",
              "| backend | sentences/s (batch) | GFLOP/s (batch) | single p50 ms | p99 ms | GFLOP/s (single) "
              "| single / peak | min cosine vs default | load |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for b, e in res["encoder"].items():
        ratio = e.get("single_gflops", 0) / peak if peak and e.get("single_gflops") else None
        lines.append(f"| {b} | {_f(e['sentences_per_s'])} | {_f(e.get('batch_gflops'), 0)} | {_f(e['single_ms_p50'])} | "
                     f"{_f(e['single_ms_p99'])} | {_f(e.get('single_gflops'), 0)} | {_f(ratio, 2)} | "
                     f"{_f(e.get('min_cosine_vs_default'), 4)} | {_f(e.get('load'), 2)} |")
    opts = res.get("onnx_options")
    if opts:
        lines += ["", f"### ONNX Runtime session options ({opts['rounds']} alternated rounds, medians; "
                  f"{opts['singles']} single sentences and one {opts['batch']}-claim batch per round; "
                  f"loads {', '.join(f'{x:.1f}' for x in opts['loads'])})", "",
                  "| variant | single p50 ms | vs configured | batch claims/s | vs configured | single / peak | "
                  "batch / peak | min cosine vs torch |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        base = opts["variants"]["configured"]
        for name, o in opts["variants"].items():
            lines.append(f"| {name} | {_f(o['single_ms_p50'], 2)} | {o['single_ms_p50'] / base['single_ms_p50']:.2f} | "
                         f"{_f(o['batch_claims_per_s'])} | {o['batch_claims_per_s'] / base['batch_claims_per_s']:.2f} | "
                         f"{_f(o['single_gflops'] / peak if peak else None, 2)} | "
                         f"{_f(o['batch_gflops'] / peak if peak else None, 2)} | {_f(o.get('min_cosine_vs_torch'), 4)} |")
    i = res.get("ingest")
    if i:
        lines += ["", "## Ingest (`factlint index` in-process, real articles)", "",
                  "| documents | sentences | ingest sentences/s | raw encoder sentences/s (same sentences) | ratio | load |",
                  "|---:|---:|---:|---:|---:|---:|",
                  f"| {i['documents']} | {i['sentences']:,} | {_f(i['sentences_per_s'])} | "
                  f"{_f(i['raw_encoder_sentences_per_s'])} | {i['ratio']:.2f} | {_f(i.get('load'), 2)} |"]
    lines += ["", "## Corpus: nearest-neighbour similarity, real vs grown", "",
              "| sentences | real | noise factor | grown cosine to source p50 | real NN p10 / p50 / p90 | "
              "grown NN p10 / p50 / p90 | real sentences' NN in the grown corpus p50 |", "|---:|---:|---:|---:|---|---|---:|"]
    for n, r in res["sizes"].items():
        c = r.get("calibration", {})
        q = lambda d: " / ".join(f"{d[k]:.3f}" for k in ("p10", "p50", "p90")) if d else "–"  # noqa: E731
        lines.append(f"| {int(n):,} | {r['real_sentences']:,} | {_f(c.get('noise_factor'), 3)} | "
                     f"{_f((c.get('cosine_to_source') or {}).get('p50'), 3)} | {q(c.get('real_nn'))} | {q(c.get('grown_nn'))} | "
                     f"{_f((c.get('real_nn_in_grown') or {}).get('p50'), 3)} |")
    lines += ["", "## Index by corpus size (served = loaded from its file, as `factlint serve` does)", "",
              "| sentences | index | build s | load s | file MB | SQLite MB | memory B/sentence | "
              "search p50 ms in memory (floor) | served p50 ms | served p99 ms | batch ms/query | recall@10 |",
              "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in res["sizes"].items():
        ix = r["index"]
        desc = ix["kind"] + "".join(f" {k}={ix[k]}" for k in ("nlist", "nprobe", "m", "ef_search") if k in ix) \
            + (f" {ix['quantization']}" if ix.get("quantization", "none") != "none" else "") \
            + (" mapped" if r["served"].get("mapped") else "")
        lines.append(f"| {int(n):,} | {desc} | {_f(r['index_build_seconds'])} | {_f(r['memory']['load_seconds'], 2)} | "
                     f"{_f(r['index_file_bytes'] / 1e6)} | {_f(r['sqlite_bytes'] / 1e6)} | "
                     f"{_f(r['memory']['bytes_per_sentence'], 0)} | {_f(r['in_memory']['search_ms_p50'], 2)} | "
                     f"{_f(r['served']['search_ms_p50'], 2)} | {_f(r['served']['search_ms_p99'], 2)} | "
                     f"{_f(r['served']['batch_ms_per_query'], 3)} | {r['recall_at_10']:.3f} |")
    lines += ["", "## Where a check's time goes (in-process, served index, no HTTP)", "",
              "| sentences | Checker.check p50 ms | p99 ms | encoder p50 ms | search p50 ms | rest p50 ms "
              "(SQLite rows, analyzers, verdict) | check_many claims/s (one batch) | raw encoder claims/s | "
              "retrieve of the batch ms | load |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in res["sizes"].items():
        b = r.get("in_process")
        if b:
            lines.append(f"| {int(n):,} | {_f(b['check_ms_p50'])} | {_f(b['check_ms_p99'])} | "
                         f"{_f(b['encode_ms_p50'])} | {_f(b['search_ms_p50'], 2)} | {_f(b['rest_ms_p50'])} | "
                         f"{_f(b['batch_check_many_claims_per_s'])} | {_f(b['batch_raw_encoder_claims_per_s'])} | "
                         f"{_f(b['batch_retrieve_ms'])} | {_f(b['load'], 2)} |")
    lines += ["", "## HTTP (gunicorn, the tree's config) and CLI, each served figure next to its floor", "",
              "| sentences | workers | /v1/check p50 ms | floor ms | ratio | p99 ms | cached p50 ms | "
              "claims/s c=1 | c=2 | c=4 | batch claims/s | raw encoder claims/s | ratio | CLI draft s | load |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in res["sizes"].items():
        for h in r.get("http") or [{}]:
            fl = floor_ms(r, h)
            sc = h.get("scaling", {})
            p50, raw = h.get("check_ms_p50"), h.get("batch_raw_encoder_claims_per_s")
            lines.append(
                f"| {int(n):,} | {h.get('workers', '–')} | {_f(p50)} | {_f(fl)} | "
                f"{_f(p50 / fl if p50 and fl else None, 2)} | {_f(h.get('check_ms_p99'))} | "
                f"{_f(h.get('check_cached_ms_p50'))} | "
                + " | ".join(_f(sc.get(c, {}).get("claims_per_s")) for c in ("1", "2", "4"))
                + f" | {_f(h.get('batch_claims_per_s'))} | {_f(raw)} | "
                f"{_f(h['batch_claims_per_s'] / raw if raw else None, 2)} | {_f(r['cli_check']['seconds'], 2)} | "
                f"{_f(h.get('load'), 2)} |")
    tx = res.get("txtai")
    if tx:
        lines += ["", "## factlint and txtai (same sentences, same model)", ""]
        if "skipped" in tx:
            lines.append(f"Not measured: {tx['skipped']}.")
        else:
            lines += [f"{tx['sentences']:,} real sentences; txtai {v.get('txtai', '?')} with its defaults "
                      f"(`{tx.get('txtai_config')}`), factlint's index `{tx.get('factlint_index')}`; load "
                      f"{tx['load']:.2f}.", "",
                      "| | factlint | txtai | txtai / factlint |", "|---|---:|---:|---:|"]
            c, t = tx["cold_seconds"], tx["retrieve_ms_p50"]
            lines.append(f"| cold start to first answer, s | {c['factlint']:.2f} | {c['txtai']:.2f} | "
                         f"{c['txtai'] / c['factlint']:.2f} |")
            lines.append(f"| in-process retrieve p50, ms | {t['factlint']:.1f} | {t['txtai']:.1f} | "
                         f"{t['txtai'] / t['factlint']:.2f} |")
    if res.get("steps"):
        lines += ["", "## Steps and the load average (1 min) at each", "", "| time (UTC) | load | step |",
                  "|---|---:|---|"]
        lines += [f"| {s['at']} | {s['load']:.2f} | {s['step']} |" for s in res["steps"]]
    if res["quick"]:
        lines += ["", "Quick run: fewer real sentences, claims and requests; re-run `make bench` for the full figures."]
    lines += ["", HOW, ""]
    return "\n".join(lines)


def bounds(res: dict) -> list[str]:
    """One line per target not met, from the measured parts."""
    out, sizes = [], res["sizes"]
    peak = res.get("peak", {}).get("gflops")
    for t in res["targets"]:
        if t["met"]:
            continue
        name = t["target"]
        by = f"missed by {abs(t['value'] / t['limit'] - 1) * 100:.0f}%"
        n = name.rsplit(", ", 1)[-1].replace(",", "")
        r = sizes.get(n)
        if name.startswith("/v1/check p50") and r:
            b, h = r["in_process"], _http(r, 1)
            above = h["check_ms_p50"] - floor_ms(r, h)
            out.append(f"- {name}: {by}. A request took {_f(above)} ms above its floor at p50 (encoder "
                       f"{_f(h.get('encoder_ms_p50') or b['encode_ms_p50'])} + in-memory search "
                       f"{_f(h.get('search_ms_p50') or r['in_memory']['search_ms_p50'], 2)}, measured "
                       f"alternately); in-process, the served index's search took {_f(b['search_ms_p50'], 2)} ms "
                       f"and SQLite rows + analyzers + verdict {_f(b['rest_ms_p50'])} ms, which leaves about "
                       f"{_f(above - b['rest_ms_p50'])} ms for HTTP, gunicorn and JSON.")
        elif name.startswith("/v1/check/batch") and r:
            b = r["in_process"]
            out.append(f"- {name}: {by}. In-process check_many does {_f(b['batch_check_many_claims_per_s'])} "
                       f"claims/s against the raw encoder's {_f(b['batch_raw_encoder_claims_per_s'])}; its "
                       f"retrieval (one search of the {b['batch']}, one SQLite read) takes {_f(b['batch_retrieve_ms'])} "
                       "ms; the rest is the analyzers on every claim-evidence pair and HTTP.")
        elif name.startswith("served search") and r:
            out.append(f"- {name}: {by}. Index {r['index']}; in memory {_f(r['in_memory']['search_ms_p50'], 2)} ms.")
        elif name.startswith("2 workers") and r:
            h1, h2 = _http(r, 1), _http(r, 2)
            out.append(f"- {name}: {by}. claims/s, 1 worker: "
                       + ", ".join(f"c={c} {_f(x['claims_per_s'])}" for c, x in h1["scaling"].items())
                       + "; 2 workers: " + ", ".join(f"c={c} {_f(x['claims_per_s'])}" for c, x in h2["scaling"].items())
                       + f". This machine has {res['cores']} cores, and one worker already runs its encoder on "
                       "all of them; loads at each level are in results.json.")
        elif name.startswith("encoder achieved") and peak:
            which = {"one sentence": "single_gflops", "64-claim batch": "batch_gflops"}.get(name.rsplit(", ", 1)[-1])
            variants = (res.get("onnx_options") or {}).get("variants", {}) if which else {}
            best = max(variants.items(), key=lambda kv: kv[1][which]) if variants else None
            out.append(f"- {name}: {by}. {t['note']}" + (
                f"; the best ONNX Runtime session option measured was {best[0]} at "
                f"{best[1][which]:.0f} GFLOP/s ({best[1][which] / peak:.2f} of the peak)" if best else "")
                + ". The rest is ONNX Runtime's kernels on this model's small matrices (a sentence is tens "
                "of tokens by 384), tokenization and pooling, all inside the encoder call.")
        elif name.startswith("factlint index"):
            i = res["ingest"]
            out.append(f"- {name}: {by}. {_f(i['seconds'] - i['raw_encoder_seconds'], 2)} s of "
                       f"{_f(i['seconds'], 2)} s are outside the encoder: reading and splitting the articles, "
                       "SQLite writes (synchronous=FULL), the index add and save.")
        elif name.startswith("recall") and r:
            ix = r["index"]
            effort = f"efSearch {ix['ef_search']}" if "ef_search" in ix else f"nprobe {ix.get('nprobe')} of {ix.get('nlist')}"
            out.append(f"- {name}: {by}. The index ({ix['kind']}, {effort}) was calibrated on its own claim-like "
                       f"queries to recall {ix.get('calibrated_recall', '?')}; held-out BBC claims against the "
                       f"grown corpus need more effort than those. `python -m bench.ann --sizes {n}` shows "
                       "each candidate's recall against its effort.")
        elif name.startswith("1,500-word"):
            c = sizes["100000"]["cli_check"]
            out.append(f"- {name}: {by}. Starting Python and loading the model alone took "
                       f"{_f(c.get('model_load_seconds'), 2)} s of the {_f(c['seconds'], 2)} s; the rest is loading "
                       f"the index ({_f(sizes['100000']['index_file_bytes'] / 1e6)} MB), encoding the draft's "
                       "sentences in one batch and checking them.")
        elif name.startswith("memory"):
            out.append(f"- {name}: {by}. float32 vectors alone are 1,536 B/sentence; see `[index] quantization`.")
        else:
            out.append(f"- {name}: {by}.")
    return out or ["- none: every target measured in this run was met."]
