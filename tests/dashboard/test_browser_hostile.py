"""In real headless Chromium, over a store whose every outside text carries markup aimed at a
beacon server on 127.0.0.1: no page fetches from it, nothing planted is interpreted, the
text reads as typed, and the CSV export holds no formula."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.safe_text import WORD_JOINER
from data.csv_safety import FORMULA_STARTS
from tests.conftest import require
from tests.dashboard.hostile_store import FORMULAS, HostileStore, hostile, hostile_store
from tests.dashboard.signed_in import PASSWORD
from tests.dashboard.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    click_until,
    served,
    settle,
)

# A backslash before a Markdown mark, left visible: the escaping showing through.
VISIBLE_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


@pytest.fixture
def hostile_dashboard(feed_server, tmp_path) -> Iterator[tuple[str, HostileStore]]:
    """`hundredfold dashboard` over the hostile store (its beacon: the feed server)."""
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    store = hostile_store(f"sqlite:///{tmp_path / 'hostile.db'}", feed_server.base_url,
                          datetime.now(UTC))  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUNDREDFOLD_")}
    environment["HUNDREDFOLD_DATABASE_URL"] = store.url
    with served(["hundredfold", "dashboard"], tmp_path, environment) as url:
        yield url, store


def nothing_interpreted(page, beacon: str, viewer: str) -> str:
    """Check the page's DOM holds no planted element and shows the planted text as typed
    (the signed-in name, escaped for Markdown, reads exactly as it was typed); returns the
    page's visible text."""
    assert page.locator(f'img[src^="{beacon}"], a[href="{beacon}/a"]').count() == 0
    assert page.locator(".katex, .stMarkdownColoredText, script:not([src])").filter(
        has_text=re.compile(r"red|frac|alert")
    ).count() == 0  # fmt: skip
    assert page.locator("strong, b").filter(has_text=re.compile(r"^bold$")).count() == 0
    shown = page.locator("body").inner_text().replace(WORD_JOINER, "")
    assert VISIBLE_ESCAPE.findall(shown.replace("\\frac", "")) == []
    assert "😄" not in shown  # :smile: stays a shortcode
    assert f"Signed in as {viewer} (admin)" in shown
    return shown


def test_no_request_leaves_and_nothing_planted_is_interpreted_on_any_page(
    hostile_dashboard, feed_server
):
    from playwright.sync_api import expect, sync_playwright

    url, store = hostile_dashboard
    beacon = feed_server.base_url
    SCREENSHOTS.mkdir(exist_ok=True)
    sent: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
        page.on("request", lambda request: sent.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{url}/?lang=en")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=60_000)
        page.get_by_role("textbox", name="Name").fill(store.viewer)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
        expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=60_000)
        settle(page)
        shown = nothing_interpreted(page, beacon, store.viewer)
        product_labels = page.locator(".ytick text").all_text_contents()
        assert hostile("product", beacon) in product_labels  # Plotly drew the text as typed
        page.screenshot(path=SCREENSHOTS / "hostile_overview_en.png", full_page=True)

        page.get_by_role("button", name="Export all", exact=False).click()
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Download the CSV").click()
        exported = Path(download.value.path()).read_text(encoding="utf-8")
        [header, *rows] = list(csv.reader(io.StringIO(exported, newline="")))
        cells = [cell for row in rows for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        assert {"'" + formula for formula in FORMULAS} <= set(cells)

        click_until(page, page.get_by_role("link", name="Reply queue"), "Reply queue")
        expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30_000)
        grid = page.locator('[data-testid="stDataFrame"]').bounding_box()
        page.mouse.click(grid["x"] + 18, grid["y"] + 55)  # the first row: the held case
        expect(page.get_by_text("is handling this case.")).to_be_visible(timeout=30_000)
        page.get_by_text("Other posts by this author", exact=False).first.click()
        settle(page)
        shown = nothing_interpreted(page, beacon, store.viewer)
        for field in ("title", "body", "author", "note"):
            assert hostile(field, beacon) in shown, field
        page.screenshot(path=SCREENSHOTS / "hostile_case_en.png", full_page=True)

        for name, heading in (("Alerts", "Alerts"), ("Sources", "Sources"), ("Team", "Team"),
                              ("Users", "Users")):  # fmt: skip
            click_until(page, page.get_by_role("link", name=name), heading)
            shown = nothing_interpreted(page, beacon, store.viewer)
            page.screenshot(path=SCREENSHOTS / f"hostile_{name.lower()}_en.png", full_page=True)
            if name == "Alerts":
                assert f"(acknowledged by {store.claimer})" in shown

        assert [request for request in sent if request.startswith(beacon)] == []
        assert feed_server.requests == []
        # The beacon was reachable all along: an image the test adds itself is fetched.
        page.evaluate(f"new Image().src = '{beacon}/control.png'")
        deadline = time.monotonic() + 10
        while not feed_server.requests_to("/control.png") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [request.path for request in feed_server.requests] == ["/control.png"]
        browser.close()
    assert dialogs == []
