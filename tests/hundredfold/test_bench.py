"""`hundredfold bench` builds its database once and reports each query's timing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from data import connect
from data.schema import posts
from data.trends import View, headline
from hundredfold.cli import main


def bench(capsys, database_url: str, posts: int) -> dict:
    """Run the bench and return its JSON report."""
    args = ["bench", "--posts", str(posts), "--repeat", "2", "--ingest-posts", "30", "--json",
            "--database-url"]  # fmt: skip
    assert main([*args, database_url]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    return json.loads(out)


def write_dev_files(folder, monkeypatch) -> None:
    """Labelled dev files of the kinds the bench's stream draws on, in `folder`: the bench
    reads $HUNDREDFOLD_TRAINING_DATA (else ../shared/data, which a checkout may not have)."""
    for name, language in (("zh_shopping", "zh"), ("en_amazon3", "en"), ("zh_weibo", "zh"),
                           ("en_sst2", "en"), ("en_tweets13", "en")):  # fmt: skip
        rows = [f"{'退款' if language == 'zh' else 'refund'} {name} {n},0" for n in range(20)]
        (folder / f"{name}_dev.csv").write_text("text,label\n" + "\n".join(rows) + "\n")
    monkeypatch.setenv("HUNDREDFOLD_TRAINING_DATA", str(folder))


def test_bench_builds_n_posts_once_and_times_every_page_query(
    database_url, capsys, tmp_path, monkeypatch
):
    write_dev_files(tmp_path, monkeypatch)
    first = bench(capsys, database_url, 400)
    assert (first["posts"], first["generated_posts"]) == (400, 400)
    assert set(first["pages"]["overview"]) == {
        "headline", "headline_previous", "reply_figures", "reply_figures_previous",
        "daily_trend", "alert_markers", "complaint_topics", "product_breakdown", "product_names",
        "top_theme_examples", "posts_in_view",
    }  # fmt: skip
    assert set(first["pages"]["queue"]) == {
        "queue_lane_counts",
        "queue_page",
        "queue_backfill_page",
        "queue_facets",
    }
    for page in ("overview", "queue"):
        figures = first["pages"][page].values()
        assert all(f["p95_s"] >= f["median_s"] >= 0 for f in figures)
        assert first[f"{page}_page_median_s"] == round(sum(f["median_s"] for f in figures), 4)
    upkeep = first["upkeep"]
    assert set(upkeep) == {"alerts_first_s", "alerts_steady_median_s", "alerts_steady_p95_s",
                           "alerts_open", "stats_median_s"}  # fmt: skip
    assert upkeep["alerts_open"] >= 1  # the generated backlog has overdue cases
    growth = first[first["database"]]
    assert set(growth) == {
        "ingest_posts_per_s",
        "overview_ms_p95",
        "queue_ms_p95",
        "alerts_ms_p95",
        "alerts_first_ms",
        "stats_ms",
        "dashboard_rss_mb",
    }
    assert set(growth["ingest_posts_per_s"]) == {"default", "fast"}
    assert all(rate > 0 for rate in growth["ingest_posts_per_s"].values())
    assert growth["dashboard_rss_mb"] > 50  # a process that rendered the Overview
    with connect(database_url).connect() as connection:  # the ingested posts went again
        assert connection.execute(select(func.count()).select_from(posts)).scalar_one() == 400
    again = bench(capsys, database_url, 400)
    assert (again["posts"], again["generated_posts"]) == (400, 0)
    assert again["upkeep"]["alerts_open"] == upkeep["alerts_open"]  # started afresh each time
    grown = bench(capsys, database_url, 500)
    assert (grown["posts"], grown["generated_posts"]) == (500, 100)
    # The bulk load rebuilt the rollup: the Overview's figures count every generated post.
    engine = connect(database_url)
    assert headline(engine, View(None, None)).posts == 500
    engine.dispose()


def test_bench_renders_the_overview_whole_when_asked(sqlite_url, capsys):
    args = ["bench", "--posts", "300", "--repeat", "1", "--render", "--json"]
    assert main([*args, "--database-url", sqlite_url]) == 0
    render = json.loads(capsys.readouterr().out)["overview_render"]
    assert render["max_s"] >= render["median_s"] > 0
    assert len(render["metrics"]) == 6  # the headline figures, rendered from the bench data
    assert int(render["metrics"][0].replace(",", "")) > 0


def test_bench_ingest_collects_the_stream_through_the_pipeline_per_model(
    capsys, tmp_path, monkeypatch
):
    write_dev_files(tmp_path, monkeypatch)
    assert main(["bench", "--ingest", "--posts", "40", "--model", "fast", "--json"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    [(model, figure)] = json.loads(line)["ingest"].items()
    assert model == "fast" and figure["posts"] == 40  # distinct texts: every one stored
    # The rate is the posts over the (rounded) seconds the collection took.
    seconds = figure["seconds"]  # rounded to 0.01 s: a fast run's rate is known to within it
    low, high = figure["posts"] / (seconds + 0.005), figure["posts"] / max(seconds - 0.005, 1e-3)
    assert low - 0.1 <= figure["posts_per_s"] <= high + 0.1
    # The same export again into a fresh database, the scoring workers already running.
    warm = figure["warm_seconds"]
    low, high = 40 / (warm + 0.005), 40 / max(warm - 0.005, 1e-3)
    assert low - 0.1 <= figure["warm_posts_per_s"] <= high + 0.1
