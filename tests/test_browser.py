"""The web page in a real browser: headless Debian Chromium driven by Playwright's Python client
against a real gunicorn on 127.0.0.1 serving the seeds. Screenshots go to test-output/browser/.

Needs the `chromium` Debian package and the `playwright` pip package (`make browser` installs
both; Playwright's own browser download is never used). Skipped, with the reason, only where
they are missing."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-output" / "browser"
CHROMIUM = os.environ.get("FACTLINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

DRAFT = """# Iraq's parliament votes to expel US troops

Iraq has found itself in a predicament as an ally of both Iran and the United States with about 2,500 \
American military personnel still in the country, namely as advisers. The resolution, which was passed \
unanimously, instructed the government to cancel a request for military assistance to the US-led coalition.

Iraqi members of Parliament passed a resolution calling for foreign troops to leave the country after the \
United States killed top Iranian general Qassem Soleimani last week in Baghdad. Hadi al-Ameri, the head of \
the alliance, used the Iraqi Army Day on January 6 to call for an end to the presence of foreign forces.

The weather in Paris was mild all week and the cafés along the river were full.
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright's Python client is not installed: `make browser` (pip install playwright)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make browser` installs Debian's chromium package (apt-get)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=FLAGS, viewport={"width": 1280, "height": 900})
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    pg.close()
    assert not errors, f"JavaScript errors: {errors}"


def sentence(pg, words: str):
    return pg.locator(".sent[data-i]", has_text=words)


def check_draft(pg, url: str) -> None:
    pg.goto(url + "/")
    pg.fill("#draft", DRAFT)
    pg.select_option("#format", "markdown")
    pg.click("#check")
    pg.wait_for_selector(".sent[data-i]", timeout=60_000)


def test_check_a_draft_marks_sentences_and_shows_the_evidence(page, server):
    page.goto(server.url + "/")
    assert "Nothing checked yet" in page.inner_text("#marked")
    page.click("#check")  # empty draft: an error, not a request
    assert "The draft is empty" in page.inner_text("#status [role=alert]")

    check_draft(page, server.url)
    assert page.inner_text("#status") == "Checked 5 sentences."
    assert sentence(page, "about 2,500 American").get_attribute("data-verdict") == "contradicted"
    assert sentence(page, "passed unanimously").get_attribute("data-verdict") == "contradicted"
    assert sentence(page, "Iraqi members of Parliament").get_attribute("data-verdict") == "supported"
    assert sentence(page, "al-Ameri").get_attribute("data-verdict") == "note"
    assert sentence(page, "weather in Paris").get_attribute("data-verdict") == "unverified"
    assert "2 contradicted" in page.inner_text("#legend")
    # the heading is Markdown, not a sentence to check: shown, not marked
    assert "# Iraq's parliament" in page.inner_text("#marked")
    assert sentence(page, "parliament votes").count() == 0

    # keyboard: Tab to a marked sentence, Enter shows its evidence side by side
    page.focus("#check")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.verdict") == "contradicted":
            break
    assert "about 2,500" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    detail = page.locator("#detail")
    claim_side, archive_side = detail.locator(".side-claim").first, detail.locator(".side-evidence").first
    assert claim_side.locator("mark").inner_text() == "about 2,500"
    assert archive_side.locator("mark").first.inner_text() == "about 5,000"
    assert archive_side.locator(".ev-title").first.inner_text().startswith("Iraqi MPs Back Resolution")
    assert archive_side.locator(".ev-date").first.inner_text() == "2020-01-05"
    assert archive_side.locator(".ev-source").first.inner_text() == "001_74c4041ff5af0b48.txt"
    # one confidence, said what it means
    assert "right 96% of the time when measured" in detail.inner_text()
    assert "confidence" not in detail.locator("p").first.inner_text()
    page.screenshot(path=SHOTS / "check-draft.png", full_page=True)

    # click the other contradiction: the confusable wording and the article it comes from
    sentence(page, "passed unanimously").click()
    assert sentence(page, "passed unanimously").get_attribute("aria-pressed") == "true"
    assert archive_side.locator("mark").first.inner_text() == "anonymously"
    assert archive_side.locator(".ev-title").first.inner_text() == "Pressure on US to leave Iraq increases"
    assert archive_side.locator(".ev-date").first.inner_text() == "2020-02-20"
    assert detail.locator("button.replace").count() == 0  # which of two look-alikes is the slip is the question

    sentence(page, "weather in Paris").press("Enter")
    assert "Nothing in the archive speaks to this sentence" in detail.inner_text()


def test_phone_layout_and_ctrl_enter(browser, server):
    pg = browser.new_page()
    pg.set_viewport_size({"width": 390, "height": 844})
    try:
        pg.goto(server.url + "/")
        pg.fill("#draft", DRAFT)
        pg.select_option("#format", "markdown")
        pg.focus("#draft")
        pg.keyboard.press("Control+Enter")
        pg.wait_for_selector(".sent[data-i]", timeout=60_000)
        sentence(pg, "about 2,500 American").click()
        assert "Iraqi MPs Back Resolution" in pg.inner_text("#detail")
        # one column, nothing wider than the screen
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        results, detail = pg.locator(".results").bounding_box(), pg.locator("#detail").bounding_box()
        assert detail["y"] > results["y"] and detail["width"] > 300
        pg.screenshot(path=SHOTS / "check-draft-phone.png", full_page=True)
    finally:
        pg.close()


def test_error_state_when_the_service_fails(page, server):
    page.route("**/v1/check/document", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"error": {"code": "not_ready", "message": "the model and index are still loading; retry shortly"}}'))
    page.goto(server.url + "/")
    page.fill("#draft", DRAFT)
    page.click("#check")
    alert = page.wait_for_selector("#status [role=alert]")
    assert "still loading" in alert.inner_text()
    assert page.is_enabled("#check")  # ready to retry


def test_report_page_in_the_browser(page, server):
    page.goto(server.url + "/report")
    troops = page.locator(".fact", has_text="some 2,500").first
    assert "about 5,000" in troops.inner_text() and "2020-01-05" in troops.inner_text()
    assert troops.locator(".timeline li").count() == 2
    ranks = page.locator(".fact", has=page.locator("h2", has_text="Qassem Soleimani")).first
    assert ranks.locator(".value").all_inner_texts() == ["Major General", "Lieutenant General"]
    assert "2020-02-20" in ranks.inner_text()
    page.screenshot(path=SHOTS / "report.png", full_page=True)
    page.set_viewport_size({"width": 1000, "height": 900})
    troops.screenshot(path=SHOTS / "report-troops.png")
    ranks.screenshot(path=SHOTS / "report-ranks.png")
    page.click("text=number (1)")
    assert page.locator(".fact").count() == 1


def test_replace_with_the_archive_words_and_check_again(page, server):
    from playwright.sync_api import expect

    # the archive holds two figures for the troops (about 5,000; some 2,500): no words to offer
    check_draft(page, server.url)
    sentence(page, "about 2,500 American").click()
    assert page.locator("#detail button.replace").count() == 0
    # one value for the day of the vote: offered, applied, checked again
    page.fill("#draft", "A resolution calling for the withdrawal of foreign troops was adopted by the Iraqi "
                        "parliament on Tuesday.\n")
    page.select_option("#format", "text")
    page.click("#check")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Checked 1 sentence"), timeout=60_000)
    sentence(page, "adopted by the Iraqi").click()
    fix = page.locator("#detail button.replace")
    assert fix.inner_text() == "Use the archive's words: Sunday"
    fix.click()
    # a locator assertion, not wait_for_function: the page's CSP forbids the eval that one needs
    expect(page.locator("#status")).to_have_text(re.compile(r"^Checked"), timeout=60_000)
    assert "parliament on Sunday." in page.input_value("#draft")
    expect(sentence(page, "adopted by the Iraqi")).to_have_attribute("data-verdict", "supported")


def test_published_front_matter_line_breaks_links_and_sticky_evidence(page, server):
    sent = []
    page.on("request", lambda req: sent.append(req.post_data_json) if req.url.endswith("/v1/check/document") else None)
    claim = "The vote took place yesterday in the parliament of Iraq, officials said."
    text = ("---\ntitle: A draft with front matter\n---\n# Heading\n\nThe vote took place yesterday in the\n"
            "parliament of Iraq, officials said.\n\n" + "Another paragraph of the draft with nothing to check in it.\n\n" * 40)
    start = text.index("The vote")
    evidence = {"doc_id": "d1", "title": "Iraq votes", "published": "2020-01-05", "source": "d1.html",
                "url": "https://news.example/iraq", "sentence": "The vote took place on Sunday in the parliament.",
                "span": [0, 48], "similarity": 0.8}
    evil = dict(evidence, doc_id="d2", title="Elsewhere", published=None, url="javascript:alert(1)")
    finding = {"kind": "date", "severity": "contradiction", "message": "claim says yesterday; 'Iraq votes' says Sunday",
               "confidence": 0.95, "claim_span": [20, 29], "evidence_span": [23, 29],
               "replacements": [{"value": "Sunday"}], "evidence": evidence}
    body = {"results": [{"claim": claim, "verdict": "contradicted", "confidence": 0.9,
                         "findings": [finding, dict(finding, evidence=evil, severity="note")],
                         "evidence": [evidence, evil], "span": [start, start + len(claim)], "line": 6, "column": 1}]}
    page.route("**/v1/check/document", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                   body=__import__("json").dumps(body)))
    page.goto(server.url + "/")
    page.fill("#draft", text)
    page.select_option("#format", "markdown")
    page.fill("#published", "2020-01-09")
    page.click("#check")
    page.wait_for_selector(".sent[data-i]")
    assert sent[0]["published"] == "2020-01-09" and sent[0]["format"] == "markdown"
    # the front matter is set apart, not shown as prose of the draft
    assert page.locator("#marked details.front-matter pre").text_content() == "---\ntitle: A draft with front matter\n---"
    assert "title: A draft" not in page.locator("#marked .sent").inner_text()
    # a soft line break inside the paragraph is a space; the paragraph breaks stay
    marked = page.locator(".sent[data-i]").first
    assert marked.inner_text().startswith("The vote took place yesterday in the parliament of Iraq")
    assert "\n\nAnother paragraph" in page.evaluate("document.querySelector('#marked').textContent")
    marked.click()
    # two articles, newest first; a link to the one with a web address, none to a javascript: one
    titles = page.locator("#detail .side-evidence .ev-title")
    assert titles.all_inner_texts() == ["Iraq votes", "Elsewhere"]
    assert page.locator("#detail a.ev-link").count() == 1
    assert page.locator("#detail a.ev-link").get_attribute("href") == "https://news.example/iraq"
    assert page.locator("#detail button.replace").inner_text() == "Use the archive's words: Sunday"
    # on a wide screen the evidence stays beside the draft as the draft scrolls
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = page.locator("#detail").bounding_box()
    assert 0 <= box["y"] <= 40 and box["x"] > page.locator(".results").bounding_box()["x"]
