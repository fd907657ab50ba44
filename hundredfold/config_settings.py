"""The config file's top-level settings: the type each expects and what it does."""

from __future__ import annotations

# name -> (type check, expected, help): the file's top-level settings, documented once.
SETTINGS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "database_url": (str, "SQLAlchemy URL; HUNDREDFOLD_DATABASE_URL overrides it"),
    "brand_terms": (
        list,
        "aliases of the brand; posts mentioning none are dropped (empty: keep all)",
    ),
    "products": (dict, "product name -> its aliases, for breakdowns by product"),
    "timezone": (str, "IANA zone dates are shown in and naive dates are read in"),
    "sla_hours": ((int, float), "hours within which a complaint should get a public reply"),
    "silent_customer_multiplier": ((int, float), "silent customers each complaint stands for"),
    "negative_threshold": ((int, float), "P(negative) at which a post becomes a complaint"),
    "source_timeout": ((int, float), "seconds one source may run before it is stopped"),
    "collector_lease": (
        (str, int),
        "a collector's hold on a source it runs, renewed while alive (a killed one's passes on)",
    ),
    "scoring_workers": (int, "processes that score a batch (0: one per core; 1: in the collector)"),
    "business_hours": (dict, "count only these hours on the SLA clock: days, start, end"),
    "claim_timeout": ((str, int), "a claim untouched this long returns to the pool (e.g. 2h)"),
    "leads": (list, "support leads' names, until users exist (then: their role)"),
    "sign_in": (dict, "dashboard sign-in: idle_timeout, executives_see_authors, [sign_in.oidc]"),
    "retention_days": (int, "delete posts (and their cases) older than this; 0 keeps all"),
    "model": (str, "the sentiment model posts are scored with: default or fast"),
    "silent_after": ((str, int), "a source with no new posts this long is flagged silent"),
    "stale_after": ((str, int), "overdue cases older than this move to the backfill lane"),
    "brand_name": (str, "the brand as replies name it (default: the first brand term)"),
    "signatures": (dict, "manager name -> the sign-off of their replies"),
    "topics": (dict, "extra terms per complaint topic: [topics.refund] terms = [...]"),
    "alerts": (dict, "alert rules: window, baseline_days, sensitivity, cooldown, routes..."),
    "notify": (dict, "alert targets: [notify.NAME] kind = webhook/slack/.../email"),
    "digest": (dict, "the report mailed on a schedule by serve: every, period, to, language"),
    "source": (list, "the [[source]] tables"),
}
