"""Reading an archive: HTML pages, Markdown with front matter, text files, JSON Lines and CSV
exports; ids from paths; a clear error per unreadable file while the rest is read."""
from __future__ import annotations

import json

import pytest

from factlint import importers
from factlint.importers import Columns, Problem
from factlint.models import Document

PAGE = """<!doctype html>
<html><head><title>Iraq votes to expel US troops – World News</title>
<meta property="og:title" content="Iraq&#39;s parliament votes to expel US troops">
<meta property="article:published_time" content="2020-01-05T18:30:00+03:00">
<link rel="canonical" href="https://news.example/iraq/vote">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li>Share this story with all of your friends and family today.</li></ul></nav>
<header class="site"><p>Subscribe to our newsletter to receive the latest stories every morning.</p></header>
<div class="layout">
<article>
  <header><h1>Iraq's parliament votes to expel US troops</h1><p>By A. Reporter, <time datetime="2020-01-06">6 Jan</time></p></header>
  <p>Iraq's parliament voted on Sunday to expel the 5,000 US troops &amp; advisers in the country.</p>
  <aside><p>Related: the coalition says it will keep training Iraqi forces for now.</p></aside>
  <p>The vote is not binding on the government,
     officials said after the session.</p>
  <script>var ad = "Advertising copy that is long enough to look like a sentence here.";</script>
</article>
<div class="comments"><p>Comments are closed.</p></div>
</div>
<footer><p>Copyright 2020 by the newspaper, all rights reserved, every one of them.</p></footer>
</body></html>
"""


def read(*paths, **kw):
    return list(importers.read(list(paths), **kw))


def test_html_article_text_title_date_and_url(tmp_path):
    (tmp_path / "vote.html").write_text(PAGE)
    [doc] = read(tmp_path / "vote.html")
    assert doc == Document(
        "vote", "Iraq's parliament votes to expel US troops",
        "Iraq's parliament voted on Sunday to expel the 5,000 US troops & advisers in the country.\n"
        "The vote is not binding on the government, officials said after the session.",
        "2020-01-05", "vote.html", "https://news.example/iraq/vote")


def test_html_without_metadata_or_article(tmp_path):
    page = ("<html><head><title>Council backs homes | Gazette</title></head><body><nav>Home, News, Sport, and "
            "the Weather pages of the Gazette.</nav><main><p>Published <time datetime='2024-02-05'>Monday</time></p>"
            "<p>The council approved 300 new homes on Monday.</p><p>Work starts in May.</p></main></body></html>")
    (tmp_path / "homes.htm").write_text(page)
    [doc] = read(tmp_path / "homes.htm")
    assert (doc.title, doc.published, doc.url) == ("Council backs homes", "2024-02-05", "")
    assert doc.text == "The council approved 300 new homes on Monday.\nWork starts in May."
    (tmp_path / "empty.html").write_text("<html><body><nav><p>Only navigation here, nothing else.</p></nav></body></html>")
    [problem] = read(tmp_path / "empty.html")
    assert problem == Problem(str(tmp_path / "empty.html"), "no article text found in the page")


def test_markdown_front_matter(tmp_path):
    (tmp_path / "yaml.md").write_text(
        "---\ntitle: Parliament votes on troops\ndate: 2020-01-05\nurl: https://news.example/a\ntags: [iraq]\n---\n"
        "# A heading that is long enough to be prose in the body of the article\n\n"
        "The parliament voted on Sunday to expel all foreign troops from the country.\nIt was a *close* vote, "
        "with 170 members\npresent in the [chamber](https://x.example/c).\n\n```\ncode = 'not prose at all here'\n```\n")
    (tmp_path / "toml.markdown").write_text(
        '+++\ntitle = "Budget passes"\npublished = 2021-03-04T10:00:00Z\n+++\nThe budget passed by 12 votes.\n')
    (tmp_path / "plain.md").write_text("# The second story about the vote in Baghdad\n\nJan. 6, 2020\n\n"
                                       "The government said it would study the resolution before acting.\n")
    yaml_doc, toml_doc, plain = sorted(read(tmp_path), key=lambda d: d.source)[::-1]
    assert (yaml_doc.id, yaml_doc.title, yaml_doc.published, yaml_doc.url, yaml_doc.source) == \
        ("yaml", "Parliament votes on troops", "2020-01-05", "https://news.example/a", "yaml.md")
    assert yaml_doc.text == ("A heading that is long enough to be prose in the body of the article\n"
                             "The parliament voted on Sunday to expel all foreign troops from the country.\n"
                             "It was a close vote, with 170 members present in the chamber.")
    assert (toml_doc.title, toml_doc.published, toml_doc.text) == ("Budget passes", "2021-03-04",
                                                                   "The budget passed by 12 votes.")
    assert (plain.title, plain.published) == ("The second story about the vote in Baghdad", "2020-01-06")
    assert plain.text == "The government said it would study the resolution before acting."


@pytest.mark.parametrize("front, reason", [
    ("---\ntitle: [unclosed\n---\n", "its front matter is not valid YAML"),
    ("---\n- a list\n---\n", "its front matter is not a mapping"),
    ("---\ntitle: T\ndate: someday\n---\n", "cannot read the date 'someday'"),
])
def test_markdown_bad_front_matter_is_an_error_for_that_file(tmp_path, front, reason):
    (tmp_path / "bad.md").write_text(front + "Some text of the article, long enough to be read.\n")
    (tmp_path / "good.txt").write_text("A headline for the good file\n\nThe good file is read all the same.\n")
    problem, good = read(tmp_path)
    assert problem.where == str(tmp_path / "bad.md") and problem.message.startswith(reason)
    assert good.id == "good"


def test_exports_with_columns_and_errors_per_record(tmp_path):
    rows = [{"id": "r1", "headline": "Row one", "when": "5 Jan, 2020", "link": "https://x.example/1",
             "body": "The first row says 5,000 troops are in Iraq today."},
            "not an object",
            {"id": "r3", "body": ""},
            {"id": "r4", "body": "Headline of the fourth row here\n\nThe fourth row has a body sentence.",
             "when": "2020-02-30"},
            {"id": "a/b", "body": "An id with a slash cannot be addressed over HTTP."},
            {"body": "No id: the id is a hash of the text, so the same text is stored once."}]
    (tmp_path / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n\n")
    columns = Columns.parse(["title=headline", "published=when", "url=link", "text=body"])
    items = read(tmp_path / "export.jsonl", columns=columns)
    assert [type(i).__name__ for i in items] == ["Document", "Problem", "Problem", "Problem", "Problem",
                                                 "Document", "Problem"]
    r1, hashed = [i for i in items if isinstance(i, Document)]
    assert (r1.id, r1.title, r1.published, r1.url, r1.source) == ("r1", "Row one", "2020-01-05",
                                                                  "https://x.example/1", "export.jsonl")
    assert len(hashed.id) == 16 and hashed.title == hashed.text  # read like a text file: its first line titles it
    where = f"{tmp_path / 'export.jsonl'}"
    assert [str(p) for p in items if isinstance(p, Problem)] == [
        f"{where}:2: not a JSON object", f"{where}:3: no text (field 'body')",
        f"{where}:4: cannot read the date '2020-02-30'",
        f"{where}:5: id 'a/b' must be at most 200 characters without / \\ or control characters",
        f"{where}:7: not JSON: Expecting property name enclosed in double quotes"]
    assert importers.Source(tmp_path / "export.jsonl", tmp_path).count() == 7
    with pytest.raises(ValueError, match="FIELD=NAME"):
        Columns.parse(["body"])
    with pytest.raises(ValueError, match="FIELD=NAME"):
        Columns.parse(["author=by"])


def test_csv_export(tmp_path):
    long_text = "The council approved 300 new homes on Monday. " * 4000  # beyond csv's 128 KiB field limit
    (tmp_path / "a.csv").write_text("\ufeffid,title,published,url,text\n"  # Excel's byte order mark
                                    f'c1,Council backs homes,2024-02-05,,"{long_text}\nWork starts in May."\n'
                                    "c2,Empty,,,\n", encoding="utf-8")
    c1, problem = read(tmp_path / "a.csv")
    assert (c1.id, c1.title, c1.published) == ("c1", "Council backs homes", "2024-02-05")
    assert c1.text.endswith("\nWork starts in May.") and len(c1.text) > 131072
    assert str(problem) == f"{tmp_path / 'a.csv'}:4: no text (field 'text')"
    (tmp_path / "b.csv").write_text("id,body\nx,Some text\n")
    [problem] = read(tmp_path / "b.csv")
    assert "no 'text' column (the header has: id, body); name the text column with --column text=NAME" in str(problem)
    assert importers.Source(tmp_path / "a.csv", tmp_path).count() == 2


def test_ids_from_paths_and_collisions_name_both_files(tmp_path):
    for rel in ("a/index.md", "b/index.md", "b/index.html", ".git/x.md", "node_modules/y.md", "top.txt"):
        path = tmp_path / "archive" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>The text of this article is long enough to be read here.</p>\n")
    items = read(tmp_path / "archive", tmp_path / "archive" / "top.txt")
    ids = [i.id for i in items if isinstance(i, Document)]
    assert ids == ["a:index", "b:index", "top"]
    [dup_in_dir, dup_named_twice] = [i for i in items if isinstance(i, Problem)]
    assert dup_in_dir.where == str(tmp_path / "archive" / "b" / "index.md")
    assert f"its id 'b:index' is already the id of {tmp_path / 'archive' / 'b' / 'index.html'}" in dup_in_dir.message
    assert dup_named_twice.where == str(tmp_path / "archive" / "top.txt")
    assert [d.source for d in items if isinstance(d, Document)] == ["a/index.md", "b/index.html", "top.txt"]


def test_unreadable_files_and_missing_paths_do_not_stop_the_rest(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 society: a headline\n\nThe caf\xe9 opened.\n".encode("latin-1"))
    (tmp_path / "ok.txt").write_text("A headline for the file that is fine\n\nThis file is read all the same.\n")
    items = read(tmp_path / "nowhere", tmp_path)
    assert [str(i) if isinstance(i, Problem) else i.id for i in items] == [
        f"{tmp_path / 'nowhere'}: no such file or directory",
        f"{tmp_path / 'latin1.txt'}: not UTF-8 text (byte 3)", "ok"]


def test_normalize_date():
    assert importers.normalize_date("2020-01-05T18:30:00Z") == "2020-01-05"
    assert importers.normalize_date("20-Feb-2020") == "2020-02-20"
    assert importers.normalize_date("Jan. 5, 2020") == "2020-01-05"
    assert importers.normalize_date("") is None and importers.normalize_date(None) is None
    with pytest.raises(ValueError):
        importers.normalize_date("2020-13-45")
