"""The report in a real browser: headless Chromium (Debian's, driven by Playwright) draws the
sample corpus's meetings and claims, filters them, and a click on a claim marks its evidence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_report import report_data

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's own probe starts it: no sandbox as root, and no calls home on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("NEWSKG_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing (install Debian's chromium, as .ci/run does)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (.ci/run installs it)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(scope="module")
def page(sample_output):
    out, _ = sample_output
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.on("requestfailed", lambda request: errors.append(f"request {request.url}"))
            tab.goto((out / "report.html").as_uri())
            tab.wait_for_selector("body[data-rendered=true]", timeout=30_000)
            tab.errors = errors
            yield tab
        finally:
            browser.close()


@pytest.fixture(scope="module")
def data(sample_output):
    out, _ = sample_output
    return report_data((out / "report.html").read_text(encoding="utf-8"))


def _rendered(page) -> None:
    page.wait_for_selector("body[data-rendered=true]", timeout=30_000)


def test_the_timeline_draws_a_bar_for_every_dated_meeting_and_claim(page, data):
    bars = page.locator("#timeline .barlayer .point path")
    assert bars.count() == len(data["events"]) == 25
    widths = [box["width"] for box in (bars.nth(i).bounding_box() for i in range(bars.count()))]
    assert all(width > 0 for width in widths)
    assert page.errors == []


def test_a_month_is_drawn_wider_than_a_day(page, data):
    kinds = page.evaluate("""() => document.getElementById('timeline').data.flatMap(t => t.x.map((x, i) => [t.y[i], x]))""")
    duration = dict(kinds)
    by_id = {e["id"]: e for e in data["events"]}
    days = [duration[i] for i, e in by_id.items() if e["precision"] == "day"]
    months = [duration[i] for i, e in by_id.items() if e["precision"] == "month"]
    assert days and months
    assert set(days) == {86_400_000}
    assert min(months) >= 28 * 86_400_000


def test_the_network_draws_every_actor_meeting_and_claimed_transfer(page, data):
    network = data["network"]
    claims = [e for e in network["edges"] if e["kind"] == "claim"]
    actors = len(network["positions"]) - len(network["hubs"])
    points = page.locator("#network .scatterlayer .point")
    assert points.count() == actors + len(network["hubs"]) + len(claims)
    assert page.locator("#network").get_attribute("data-nodes") == str(actors)
    assert page.locator("#network .annotation-arrow-g, #network g.annotation").count() >= len(claims)
    labels = page.locator("#network .scatterlayer .textpoint text").all_text_contents()
    assert {"Kim Jong Un", "Vladimir Putin", "North Korea", "Russia"} <= set(labels)


def test_clicking_a_claim_marks_its_evidence_at_its_offsets(page, data, tmp_path):
    row = page.locator("#claims tr.fact-row").nth(2)
    claim = next(c for c in data["claims"] if c["id"] == row.get_attribute("data-fact"))
    evidence = claim["evidence"][0]
    row.click()
    mark = page.locator("#article-text mark#evidence-mark")
    assert mark.text_content() == evidence["exact"]
    before = page.evaluate("() => Array.from(document.getElementById('article-text').firstChild.textContent).length")
    assert before == evidence["start"]
    assert "selected" in row.get_attribute("class")
    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 50_000


def test_filtering_by_stance_keeps_only_those_claims(page, data):
    denies = [c for c in data["claims"] if c["stance"] and c["stance"].endswith("/denies")]
    page.select_option("#filter-stance", "https://w3id.org/newskg/stance/denies")
    _rendered(page)
    try:
        assert page.locator("#claims tr.fact-row:not(.hidden)").count() == len(denies) > 0
        assert page.locator("#meetings tr.fact-row:not(.hidden)").count() == 0
        assert page.locator("#network").get_attribute("data-edges") == str(len(denies))
        assert page.locator("#timeline .barlayer .point path").count() == sum(1 for c in denies if c["time"])
    finally:
        page.select_option("#filter-stance", "")
        _rendered(page)
    assert page.locator("#claims tr.fact-row:not(.hidden)").count() == len(data["claims"])


def test_filtering_by_state_and_materiel(page, data):
    page.select_option("#filter-materiel", "https://w3id.org/newskg/materiel/drones")
    _rendered(page)
    try:
        drones = [c for c in data["claims"] if "https://w3id.org/newskg/materiel/drones" in c["materiel"]]
        assert page.locator("#claims tr.fact-row:not(.hidden)").count() == len(drones) > 0
    finally:
        page.select_option("#filter-materiel", "")
        _rendered(page)
    page.select_option("#filter-state", "https://w3id.org/newskg/id/entity/iran")
    _rendered(page)
    try:
        shown = page.locator("#network").get_attribute("data-nodes")
        assert 0 < int(shown) < len(data["network"]["positions"])
    finally:
        page.select_option("#filter-state", "")
        _rendered(page)
