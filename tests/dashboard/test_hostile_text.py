"""Text from outside is shown as typed on every page: through AppTest, every element that
reads Markdown carries it escaped, every plain element carries it unchanged, and no chart
label reads it as HTML."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.queue_state import CURRENT_CASE
from dashboard.safe_text import WORD_JOINER, as_text, chart_text, said
from tests.dashboard.hostile_store import HostileStore, hostile, hostile_store
from tests.dashboard.signed_in import sign_in_as
from tests.dashboard.test_alert_pages import copy_database
from tests.dashboard.test_pages import APP
from tests.dashboard.test_queue_page import select_rows

BEACON = "http://127.0.0.1:9"
PAGES = ["views/overview.py", "views/queue.py", "views/alerts.py", "views/sources.py",
         "views/team.py", "views/users.py"]  # fmt: skip
# Elements whose text Streamlit reads as Markdown (a label, a body, an option).
MARKDOWN_ELEMENTS = ("markdown", "caption", "info", "warning", "success", "error", "title",
                     "subheader", "header", "toast")  # fmt: skip
LABELLED = ("expander", "button", "metric", "radio", "checkbox", "toggle", "tabs")
# The planted markup, unescaped (escaped, each mark is preceded by a backslash).
MARKUP = re.compile(r"!\[\]\(|(?<!\\)<(img|script)|\]\(http|:red\[|\*\*bold|\$\\frac|:smile:|->")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> HostileStore:
    """The hostile store, in a SQLite file of its own."""
    folder = tmp_path_factory.mktemp("hostile")
    return hostile_store(f"sqlite:///{folder / 'hostile.db'}", BEACON, datetime.now(UTC))


def open_as_viewer(store: HostileStore, page: str, monkeypatch, language: str = "en") -> AppTest:
    """`page`, signed in as the admin whose name is hostile; on the queue, the held case open."""
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", store.url)
    app = sign_in_as(AppTest.from_file(APP, default_timeout=60), store.viewer, "admin", store.url)
    app.session_state["language"] = language
    app.session_state["team_period"] = "period_all"
    app.session_state[CURRENT_CASE] = store.held_case
    app.run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def markdown_texts(app: AppTest) -> list[str]:
    """Every text on the page that Streamlit renders as Markdown."""
    texts = [element.value for kind in MARKDOWN_ELEMENTS for element in app.get(kind)]
    for kind in LABELLED:
        for element in app.get(kind):
            texts.append(str(getattr(element, "label", "")))
            texts.extend(str(option) for option in getattr(element, "options", []))
    return texts


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_no_markdown_widget_carries_planted_markup(store, monkeypatch, page, language):
    app = open_as_viewer(store, page, monkeypatch, language)
    shown = markdown_texts(app)
    leaks = [text for text in shown if MARKUP.search(text)]
    assert leaks == []
    # The sidebar names the signed-in user, escaped.
    assert said("signed_in_as", language, name=store.viewer, role="x").split("（")[0].split(" (")[
        0
    ] in " ".join(shown)


def test_case_panel_shows_title_author_and_body_as_typed_and_the_holder_escaped(store, monkeypatch):
    app = open_as_viewer(store, "views/queue.py", monkeypatch)
    texts = [element.value for element in app.text]
    assert hostile("title", BEACON) in texts
    assert any(text.startswith("#") and hostile("author", BEACON) in text for text in texts)
    assert any(text.startswith(hostile("body", BEACON)) for text in texts)
    assert any(hostile("note", BEACON) in text and store.claimer in text for text in texts)
    assert said("held_by", "en", name=store.claimer) in [info.value for info in app.info]
    table = app.dataframe[0].value
    assert any(cell.startswith(hostile("title", BEACON)[:100]) for cell in table["Text"])


def test_alerts_name_who_acknowledged_escaped_and_show_posts_as_text(store, monkeypatch):
    app = open_as_viewer(store, "views/alerts.py", monkeypatch)
    labels = [expander.label for expander in app.expander]
    assert labels and all(as_text(store.claimer) in label for label in labels)
    tables = [frame.value for frame in app.dataframe]
    assert any("Text" in table.columns and table["Text"].str.contains(
        hostile("title", BEACON), regex=False).any() for table in tables)  # fmt: skip
    links = [link for table in tables if "Original" in table.columns
             for link in table["Original"]]  # fmt: skip
    assert links and all(link is None or link.startswith("http") for link in links)


def test_sources_and_users_tables_hold_names_and_errors_as_typed(store, monkeypatch):
    sources = open_as_viewer(store, "views/sources.py", monkeypatch).dataframe[0].value
    assert hostile("source", BEACON) in list(sources["Source"])
    assert any(hostile("error", BEACON) in cell for cell in sources["Last error"])
    users = open_as_viewer(store, "views/users.py", monkeypatch)
    names = list(users.dataframe[0].value["Name"])
    assert store.viewer in names and store.claimer in names
    refusals = users.dataframe[-1].value
    assert store.claimer in list(refusals["Name"])


def test_chart_labels_and_hover_texts_are_escaped_for_plotly(store, monkeypatch):
    app = open_as_viewer(store, "views/overview.py", monkeypatch)
    traces = [trace for chart in app.get("plotly_chart")
              for trace in json.loads(chart.proto.spec)["data"]]  # fmt: skip
    labels = [str(label) for trace in traces for key in ("y", "text", "name")
              if isinstance(trace.get(key), list | str)
              for label in _listed(trace[key])]  # fmt: skip
    assert chart_text(hostile("product", BEACON)) in labels
    assert "quality &amp; repair" in labels  # shown as "quality & repair"
    assert not [label for label in labels if "<" in label]


def _listed(value: list | str) -> list:
    """A trace's labels as a list."""
    return value if isinstance(value, list) else [value]


def test_a_refusal_naming_the_holder_is_shown_escaped(store, tmp_path, monkeypatch):
    copied = replace(store, url=copy_database(store.url, tmp_path))
    app = open_as_viewer(copied, "views/queue.py", monkeypatch)
    select_rows(app, [0, 1])  # the first is the case the claimer holds
    app.button(key="bulk-claim").click().run()
    warnings = [warning.value for warning in app.warning]
    assert any(as_text(store.claimer) in warning for warning in warnings), warnings
    assert not [text for text in markdown_texts(app) if MARKUP.search(text)]


@given(st.text())
def test_every_markdown_mark_is_escaped_and_the_text_reads_back_unchanged(text):
    escaped = as_text(text)
    unescaped = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escaped.replace(WORD_JOINER, ""))
    assert unescaped == text.replace(WORD_JOINER, "")
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", escaped)
    assert not re.search(r"[!-/:-@\[-`{-~]", bare)  # no mark left for Markdown to read
