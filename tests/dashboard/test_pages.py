"""Dashboard pages through AppTest, over a real database chosen by configuration."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import connect
from hundredfold.cli import main
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = [
    "views/overview.py", "views/queue.py", "views/alerts.py", "views/team.py", "views/sources.py",
    "views/users.py",
]  # fmt: skip
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> 极光X1 退款太差了，垃圾"


def demo_with_hostile_review(folder: Path, *demo_options: str) -> str:
    """The URL of a demo load in `folder` plus one review whose text is hostile markup."""
    url = f"sqlite:///{folder / 'hundredfold.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUNDREDFOLD_DATABASE_URL", url)
        patch.chdir(folder)
        assert main(["demo", "--no-serve", *demo_options]) == 0
    export = folder / "hostile.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "text", "author"], ["evil-1", HOSTILE, "mallory"]])
    config = config_from_table(
        {"source": [{"kind": "file", "name": "hostile", "path": str(export)}]}
    )
    collect(config, connect(url))
    return url


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> str:
    """A small demo load plus one hostile review."""
    return demo_with_hostile_review(tmp_path_factory.mktemp("dashboard"), "--limit", "240")


@pytest.fixture
def app(demo_database, monkeypatch) -> AppTest:
    """The dashboard app, configured (through the environment) to read the demo database."""
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", demo_database)
    return AppTest.from_file(APP, default_timeout=60)


def open_page(app: AppTest, page: str, language: str = "zh") -> AppTest:
    """Run the app on `page` in `language`."""
    app.session_state["language"] = language
    app.run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_renders_without_error(app, page, language):
    open_page(app, page, language)
    assert app.title[0].value


def test_overview_shows_headline_figures_and_its_charts(app):
    open_page(app, PAGES[0], "en")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert set(metrics) == {
        "Posts", "Negative share", "Net sentiment", "Affected customers (estimate)",
        "Answered within 6 h", "Time to first reply (median)",
    }  # fmt: skip
    share = float(metrics["Negative share"].rstrip("%")) / 100
    posts = int(metrics["Posts"].replace(",", ""))
    affected = int(metrics["Affected customers (estimate)"].lstrip("≈ ").replace(",", ""))
    assert affected == pytest.approx(share * posts * 100, rel=0.01)
    assert any("customers who did not speak up" in caption.value for caption in app.caption)
    assert len(app.get("plotly_chart")) >= 2


def test_choosing_a_topic_narrows_the_figures_and_the_posts_consistently(app):
    open_page(app, PAGES[0], "en")
    everything = int(app.metric[0].value.replace(",", ""))
    app.multiselect(key="overview_topic.en").set_value(["refund"]).run()
    narrowed = int(app.metric[0].value.replace(",", ""))
    assert 0 < narrowed < everything
    assert any(f"({narrowed:,})" in header.value for header in app.subheader)
    table = app.dataframe[-1].value
    assert len(table) == min(narrowed, 200)


def test_export_button_offers_the_csv_of_the_view(app):
    open_page(app, PAGES[0], "en")
    app.multiselect(key="overview_channel.en").set_value(["social"]).run()
    app.button(key="prepare_csv").click().run()
    labels = [button.proto.label for button in app.get("download_button")]
    assert "Download the CSV" in labels and "Download the report (HTML)" in labels


def test_switching_language_changes_the_labels(app):
    open_page(app, PAGES[0], "zh")
    assert app.title[0].value == "总览"
    assert "帖子数" in [metric.label for metric in app.metric]
    app.radio(key="language").set_value("en").run()
    assert app.title[0].value == "Overview"
    assert "Posts" in [metric.label for metric in app.metric]


def test_period_choice_narrows_the_counts(app):
    open_page(app, PAGES[0], "en")
    month = int(app.metric[0].value.replace(",", ""))
    app.radio(key="overview_period.en").set_value("period_7").run()
    week = int(app.metric[0].value.replace(",", ""))
    assert 0 < week < month


def test_period_choice_outlives_a_change_of_language(app):
    open_page(app, PAGES[0], "en")
    app.radio(key="overview_period.en").set_value("period_7").run()
    week = app.metric[0].value
    app.session_state["language"] = "zh"
    app.run()
    assert app.radio(key="overview_period.zh").value == "period_7"
    assert app.metric[0].value == week
