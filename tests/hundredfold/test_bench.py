"""`hundredfold bench` builds its database once and reports each query's timing."""

from __future__ import annotations

import json

from hundredfold.cli import main


def bench(capsys, database_url: str, posts: int) -> dict:
    """Run the bench and return its JSON report."""
    args = ["bench", "--posts", str(posts), "--repeat", "2", "--json", "--database-url"]
    assert main([*args, database_url]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    return json.loads(out)


def test_bench_builds_n_posts_once_and_times_every_page_query(database_url, capsys):
    first = bench(capsys, database_url, 400)
    assert (first["posts"], first["generated_posts"]) == (400, 400)
    assert set(first["queries"]) == {
        "headline_30d", "headline_previous_30d", "daily_trend_30d", "complaint_topics_30d",
        "product_breakdown_30d", "posts_in_view_30d", "queue_count", "queue_page",
    }  # fmt: skip
    assert all(f["p95_s"] >= f["median_s"] >= 0 for f in first["queries"].values())
    again = bench(capsys, database_url, 400)
    assert (again["posts"], again["generated_posts"]) == (400, 0)
    grown = bench(capsys, database_url, 500)
    assert (grown["posts"], grown["generated_posts"]) == (500, 100)
