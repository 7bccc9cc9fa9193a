from factlint.corpus import find_date, is_noise, iter_article_files, parse_article, read_article
from conftest import SEEDS


def test_title_date_and_noise_from_messy_web_text():
    raw = ("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon\n"
           "5 Jan, 2020 22:28\n\n"
           "Parliament votes to expel foreign troops\n\n"
           "Parliament votes to expel foreign troops\n\n"
           "The parliament voted on Sunday to expel all foreign troops.\n"
           "Like this story? Share it with a friend!\n")
    doc = parse_article(raw, "x1", source="x1.txt")
    assert doc.title == "Parliament votes to expel foreign troops"
    assert doc.published == "2020-01-05"
    assert doc.text == "The parliament voted on Sunday to expel all foreign troops."
    assert doc.source == "x1.txt"


def test_date_forms():
    assert find_date("20-Feb-2020")[0].isoformat() == "2020-02-20"
    assert find_date("1/5/2020")[0].isoformat() == "2020-01-05"  # month first, as US sites write it
    assert find_date("5 Jan, 2020 22:28")[0].isoformat() == "2020-01-05"
    assert find_date("on Jan. 5, 2020. (Handout)")[0].isoformat() == "2020-01-05"
    assert find_date("no date here") is None


def test_byline_dates_and_missing_dates():
    doc = parse_article("A headline about the vote in Baghdad\nJack Phillips\n1/5/2020\nUpdated:\n1/5/2020\n\nBody text here.", "d")
    assert doc.published == "2020-01-05"
    assert "Updated" not in doc.text
    undated = parse_article("Alliance highlights need to withdraw all forces – World News\n\nHe said so.", "u")
    assert undated.published is None
    assert undated.title == "Alliance highlights need to withdraw all forces"


def test_noise_lines():
    assert is_noise("twitter") and is_noise("Related Topics") and is_noise("Comments are closed.")
    assert not is_noise("The US said it would leave.")


def test_seed_articles_read():
    docs = [read_article(p) for p in iter_article_files([SEEDS])]
    assert len(docs) == 5
    by_prefix = {d.id[:3]: d for d in docs}
    assert by_prefix["000"].published == "2020-02-20"
    assert by_prefix["001"].published == "2020-01-05"
    assert by_prefix["004"].title.startswith("Easier said than done")
    assert all("icon" not in d.text.split("\n")[0] for d in docs)


def test_an_explicit_title_takes_no_line_of_the_text():
    raw = "Council backs homes\n5 Jan, 2020\nIs this the end of the housing shortage\nThe council approved 300 homes."
    doc = parse_article(raw, "h", title="Council backs homes")
    assert doc.title == "Council backs homes" and doc.published == "2020-01-05"
    # the repeated title and the dateline go; a title-like line of the text stays
    assert doc.text == "Is this the end of the housing shortage\nThe council approved 300 homes."
