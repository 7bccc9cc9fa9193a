// factlint web page: check a draft with POST /v1/check/document and show each sentence marked.
// Plain JavaScript, no dependencies. User text is only ever inserted with textContent.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("check-form"), draft = $("draft"), format = $("format"), published = $("published"), button = $("check");
  const status = $("status"), view = $("marked"), legend = $("legend");
  const detail = $("detail"), detailBody = $("detail-body");
  const LABELS = { contradicted: "contradicted", note: "note", supported: "supported", unverified: "unverified" };
  let results = [], selected = -1, checkedText = "";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  // contradicted (red) / note (amber: findings, but only notes) / supported (green) / unverified (plain)
  function status_of(r) {
    if (r.verdict === "contradicted") return "contradicted";
    if (r.findings.length && r.findings.every((f) => f.severity === "note")) return "note";
    if (r.verdict === "supported") return "supported";
    return r.findings.length ? "note" : "unverified";
  }

  // text with [start, end) marked
  function withMark(text, span, cls) {
    const frag = document.createDocumentFragment();
    const s = Math.max(0, span[0]), e = Math.min(text.length, span[1]);
    if (e <= s) { frag.append(text); return frag; }
    frag.append(text.slice(0, s), el("mark", { class: "hit " + (cls || ""), text: text.slice(s, e) }), text.slice(e));
    return frag;
  }

  function setStatus(kind, message) {
    status.className = "status " + (kind || "");
    status.textContent = "";
    if (kind === "error") status.append(el("p", { class: "error", role: "alert", text: message }));
    else status.textContent = message || "";
  }

  // an article's address, when it is one a reader may follow
  function link(url) {
    return /^https?:\/\//i.test(url || "") ? url : "";
  }

  function sourceMeta(ev) {
    const title = el("strong", { class: "ev-title", text: ev.title });
    const href = link(ev.url);
    return el("p", { class: "source-meta" },
      href ? el("a", { class: "ev-link", href: href, rel: "noopener noreferrer", target: "_blank" }, title) : title, " · ",
      el("span", { class: "ev-date", text: ev.published || "undated" }),
      ev.source ? " · " : null, ev.source ? el("span", { class: "ev-source", text: ev.source }) : null,
      " · similarity " + ev.similarity.toFixed(2));
  }

  function overlaps(a, b) { return a[0] < b[1] && b[0] < a[1]; }

  // a result's findings by fact: one kind, overlapping words of the claim; one entry per article
  function facts(findings) {
    const groups = [];
    for (const f of findings) {
      const g = groups.find((g) => g[0].kind === f.kind && overlaps(g[0].claim_span, f.claim_span));
      if (!g) groups.push([f]);
      else if (!g.some((x) => x.evidence.doc_id === f.evidence.doc_id)) g.push(f);
    }
    return groups;
  }

  // the archive's words for the disputed ones: the server offers them where the archive holds one value
  function replacement(group) {
    const f = group.find((f) => f.replacements && f.replacements.length);
    return f ? { value: f.replacements[0].value, span: f.claim_span } : null;
  }

  // where the claim's words [s, e) stand in the draft: found once in the sentence's own text
  function draftSpan(r, span) {
    const words = r.claim.slice(span[0], span[1]).trim();
    if (!words) return null;
    const pattern = new RegExp(words.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"), "g");
    const own = checkedText.slice(r.span[0], r.span[1]);
    const hits = [...own.matchAll(pattern)];
    return hits.length === 1 ? [r.span[0] + hits[0].index, r.span[0] + hits[0].index + hits[0][0].length] : null;
  }

  function offerReplacement(r, group) {
    const fix = replacement(group);
    const value = fix && fix.value;
    const at = fix && draftSpan(r, fix.span);
    if (!at || draft.value !== checkedText) return null;
    const use = el("button", { type: "button", class: "replace" }, "Use the archive's words: ", el("strong", { text: value }));
    use.addEventListener("click", () => {
      draft.value = checkedText.slice(0, at[0]) + value + checkedText.slice(at[1]);
      check();
    });
    return el("p", { class: "fix" }, use);
  }

  function newestFirst(group) {
    const dated = group.filter((f) => f.evidence.published).sort((a, b) => (a.evidence.published < b.evidence.published ? 1 : -1));
    return dated.concat(group.filter((f) => !f.evidence.published));
  }

  function showDetail(i) {
    const r = results[i], st = status_of(r);
    selected = i;
    view.querySelectorAll(".sent").forEach((n) => n.setAttribute("aria-pressed", String(Number(n.dataset.i) === i)));
    detailBody.textContent = "";
    detailBody.append(el("p", {}, el("span", { class: "pill v-" + st, text: LABELS[st] }),
      " line " + r.line + ", column " + r.column));
    if (!r.findings.length) {
      detailBody.append(el("p", { class: "claim", text: r.claim }));
      if (!r.evidence.length) {
        detailBody.append(el("p", { class: "empty", text: "Nothing in the archive speaks to this sentence." }));
      } else {
        detailBody.append(el("h3", { text: st === "supported" ? "Supported by" : "Related in the archive (not close enough to confirm it)" }));
        const list = el("ul", { class: "related" });
        for (const ev of r.evidence.slice(0, 3)) list.append(el("li", {}, el("span", { text: ev.sentence }), sourceMeta(ev)));
        detailBody.append(list);
      }
    }
    for (const group of facts(r.findings)) {
      const f = group.find((x) => x.severity === "contradiction") || group[0];
      const sev = group.some((x) => x.severity === "contradiction") ? "contradiction" : "note";
      const box = el("section", { class: "finding sev-" + sev },
        el("p", {}, el("span", { class: "badge sev-" + sev, text: sev }), " ",
          el("span", { class: "badge", text: f.kind }),
          el("span", { class: "measured", title: "The confidence of this kind of finding: the share of such findings that were right when measured." },
            " right " + Math.round(f.confidence * 100) + "% of the time when measured")),
        el("p", { class: "msg", text: f.message }),
        offerReplacement(r, group),
        el("div", { class: "pair" },
          el("div", { class: "side-claim" }, el("h3", { text: "Your draft" }),
            el("p", { class: "sentence" }, withMark(r.claim, f.claim_span, sev))),
          el("div", { class: "side-evidence" }, el("h3", { text: group.length > 1 ? "The archive (" + group.length + " articles, newest first)" : "The archive" }),
            ...newestFirst(group).map((g) => el("div", { class: "article" },
              el("p", { class: "sentence" }, withMark(g.evidence.sentence, g.evidence_span, g.severity)),
              sourceMeta(g.evidence))))));
      detailBody.append(box);
    }
  }

  // what the draft view shows: front matter set apart, soft line breaks inside a paragraph as
  // spaces (same length, so the offsets of the results still hold), blank lines kept
  const BLOCK = /^[ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d+[.)][ \t]|>|\||```|~~~|<)/;
  function frontMatter(text) {
    const m = format.value === "markdown" && /^(---|\+\+\+)[ \t]*\n[\s\S]*?\n\1[ \t]*(?:\n|$)/.exec(text);
    return m ? m[0].length : 0;
  }
  function display(text) {
    const lines = text.split("\n");
    let out = "";
    lines.forEach((line, n) => {
      out += line;
      if (n === lines.length - 1) return;
      const next = lines[n + 1];
      const soft = line.trim() && next.trim() && !BLOCK.test(next) && !/^[ \t]*#/.test(line) && !/ {2}$/.test(line);
      out += soft ? " " : "\n";
    });
    return out;
  }

  function render(text, res) {
    results = res.slice().sort((a, b) => a.span[0] - b.span[0]);
    selected = -1;
    checkedText = text;
    view.textContent = "";
    legend.textContent = "";
    const head = frontMatter(text);
    const shown = text.slice(0, head) + display(text.slice(head));
    if (!results.length) {
      legend.hidden = true;
      view.append(el("p", { class: "empty", text: "No sentence to check was found: a sentence needs at least four words." }));
      return;
    }
    const counts = { contradicted: 0, note: 0, supported: 0, unverified: 0 };
    if (head) {
      view.append(el("details", { class: "front-matter" }, el("summary", { text: "Front matter (not checked)" }),
        el("pre", { text: text.slice(0, head).replace(/\n$/, "") })));
    }
    let at = head;
    results.forEach((r, i) => {
      const st = status_of(r);
      counts[st] += 1;
      if (r.span[0] > at) view.append(shown.slice(at, r.span[0]));
      const mark = el("span", { class: "sent v-" + st, role: "button", tabindex: "0", "aria-pressed": "false",
        "data-i": String(i), "data-verdict": st, title: LABELS[st] },
        shown.slice(r.span[0], r.span[1]), el("span", { class: "sr-only", text: " (" + LABELS[st] + ")" }));
      view.append(mark);
      at = Math.max(at, r.span[1]);
    });
    if (at < shown.length) view.append(shown.slice(at));
    for (const k of Object.keys(counts)) {
      legend.append(el("li", {}, el("span", { class: "pill v-" + k, text: counts[k] + " " + LABELS[k] })));
    }
    legend.hidden = false;
    detailBody.textContent = "";
    detailBody.append(el("p", { class: "empty", text: "Select a sentence of the checked draft to see what the archive says." }));
  }

  async function check() {
    const text = draft.value;
    if (!text.trim()) {
      setStatus("error", "The draft is empty: paste or type some text first.");
      draft.focus();
      return;
    }
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    setStatus("loading", "Checking " + text.length.toLocaleString() + " characters against the archive…");
    try {
      const resp = await fetch("/v1/check/document", {
        method: "POST", headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(Object.assign({ text: text, format: format.value }, published.value ? { published: published.value } : {})),
      });
      let body = null;
      try { body = await resp.json(); } catch (e) { body = null; }
      if (!resp.ok) {
        const msg = body && body.error ? body.error.message : "the service answered " + resp.status;
        throw new Error(msg);
      }
      render(text, body.results);
      const n = body.results.length;
      setStatus("done", "Checked " + n + " sentence" + (n === 1 ? "" : "s") + ".");
    } catch (err) {
      const msg = err instanceof TypeError ? "Could not reach the factlint service. Is it running?" : err.message;
      setStatus("error", "The check failed: " + msg);
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); check(); });
  draft.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); check(); }
  });
  function pick(target) {
    const mark = target.closest && target.closest(".sent[data-i]");
    if (!mark) return false;
    showDetail(Number(mark.dataset.i));
    // on a phone the evidence is below the draft: bring it into view
    if (window.matchMedia("(max-width: 760px)").matches && detail.getBoundingClientRect().top > window.innerHeight) {
      detail.scrollIntoView({ block: "start" });
    }
    return true;
  }
  view.addEventListener("click", (e) => { pick(e.target); });
  view.addEventListener("keydown", (e) => {
    if ((e.key === "Enter" || e.key === " ") && pick(e.target)) {
      e.preventDefault();
    } else if (e.key === "Escape" && selected >= 0) {
      view.querySelector('.sent[data-i="' + selected + '"]').setAttribute("aria-pressed", "false");
      selected = -1;
    }
  });
})();
