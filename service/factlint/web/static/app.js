// factlint web page: check a draft with POST /v1/check/document and show each sentence marked.
// Plain JavaScript, no dependencies. User text is only ever inserted with textContent.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("check-form"), draft = $("draft"), format = $("format"), button = $("check");
  const status = $("status"), view = $("marked"), legend = $("legend");
  const detail = $("detail"), detailBody = $("detail-body");
  const LABELS = { contradicted: "contradicted", note: "note", supported: "supported", unverified: "unverified" };
  let results = [], selected = -1;

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

  function sourceMeta(ev) {
    return el("p", { class: "source-meta" },
      el("strong", { class: "ev-title", text: ev.title }), " · ",
      el("span", { class: "ev-date", text: ev.published || "undated" }),
      ev.source ? " · " : null, ev.source ? el("span", { class: "ev-source", text: ev.source }) : null,
      " · similarity " + ev.similarity.toFixed(2));
  }

  function showDetail(i) {
    const r = results[i], st = status_of(r);
    selected = i;
    view.querySelectorAll(".sent").forEach((n) => n.setAttribute("aria-pressed", String(Number(n.dataset.i) === i)));
    detailBody.textContent = "";
    detailBody.append(el("p", {}, el("span", { class: "pill v-" + st, text: LABELS[st] }),
      " confidence " + r.confidence.toFixed(2) + " · line " + r.line + ", column " + r.column));
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
    for (const f of r.findings) {
      const box = el("section", { class: "finding sev-" + f.severity },
        el("p", {}, el("span", { class: "badge sev-" + f.severity, text: f.severity }), " ",
          el("span", { class: "badge", text: f.kind }), " confidence " + f.confidence.toFixed(2)),
        el("p", { class: "msg", text: f.message }),
        el("div", { class: "pair" },
          el("div", { class: "side-claim" }, el("h3", { text: "Your draft" }),
            el("p", { class: "sentence" }, withMark(r.claim, f.claim_span, f.severity))),
          el("div", { class: "side-evidence" }, el("h3", { text: "The archive" }),
            el("p", { class: "sentence" }, withMark(f.evidence.sentence, f.evidence_span, f.severity)),
            sourceMeta(f.evidence))));
      detailBody.append(box);
    }
  }

  function render(text, res) {
    results = res.slice().sort((a, b) => a.span[0] - b.span[0]);
    selected = -1;
    view.textContent = "";
    legend.textContent = "";
    if (!results.length) {
      legend.hidden = true;
      view.append(el("p", { class: "empty", text: "No sentence to check was found: a sentence needs at least four words." }));
      return;
    }
    const counts = { contradicted: 0, note: 0, supported: 0, unverified: 0 };
    let at = 0;
    results.forEach((r, i) => {
      const st = status_of(r);
      counts[st] += 1;
      if (r.span[0] > at) view.append(text.slice(at, r.span[0]));
      const mark = el("span", { class: "sent v-" + st, role: "button", tabindex: "0", "aria-pressed": "false",
        "data-i": String(i), "data-verdict": st, title: LABELS[st] },
        text.slice(r.span[0], r.span[1]), el("span", { class: "sr-only", text: " (" + LABELS[st] + ")" }));
      view.append(mark);
      at = Math.max(at, r.span[1]);
    });
    if (at < text.length) view.append(text.slice(at));
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
        body: JSON.stringify({ text: text, format: format.value }),
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
