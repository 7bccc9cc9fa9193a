"""HTML for the web page and the corpus report: Jinja templates inside the package. The report
is one self-contained file (its CSS inlined), the same for GET /report and `factlint report`."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..report import KINDS, Report

STATIC = "/static/web"


def marked(sentence: str, span, css: str = "hit") -> Markup:
    """The sentence with ``span`` (offsets into it) wrapped in <mark>, everything escaped."""
    s, e = max(0, int(span[0])), min(len(sentence), int(span[1]))
    if e <= s:
        return Markup(escape(sentence))
    return Markup(f"{escape(sentence[:s])}<mark class=\"{css}\">{escape(sentence[s:e])}</mark>{escape(sentence[e:])}")


def link(url: str) -> str:
    """An article's address when it is one a reader may follow (http or https), else empty: a
    page's metadata must not put a javascript: link in front of a reader."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def figure(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("factlint.web", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["marked"] = marked
    env.filters["figure"] = figure
    env.filters["link"] = link
    return env


def stylesheet() -> str:
    return resources.files("factlint.web").joinpath("static/factlint.css").read_text(encoding="utf-8")


def render_page() -> str:
    return _env().get_template("index.html").render(static=STATIC)


def render_report(report: Report, kind: str | None = None, severity: str = "contradiction",
                  served: bool = False) -> str:
    """``served``: the page of GET /report (filter links); otherwise a standalone file."""
    facts = report.select(kind, severity)
    return _env().get_template("report.html").render(
        report=report, facts=facts, kind=kind, severity=severity, kinds=KINDS,
        counts=report.counts(severity), served=served, css=Markup(stylesheet()))
