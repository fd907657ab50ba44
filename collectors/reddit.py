"""Reddit: new posts of subreddits with their comments, Reddit-wide searches, reach re-reads."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import praw
import prawcore
from praw.models import Comment, Submission

from collectors.base import Batch, Post, RateLimited, SourceError, setting
from collectors.http import USER_AGENT
from collectors.retry import ATTEMPTS, RateBudget, RetryingSession, TransientError, retry_after
from collectors.text import clean_text

WEB_URL = "https://www.reddit.com"
LOW_BUDGET = 5  # requests left in Reddit's window below which a run stops until it resets
PAGE_SIZE = 100  # the most items Reddit returns per listing request or /api/info call
MAX_TRACKED = 1000  # young posts whose reach is re-read each run: ten /api/info calls at most


@dataclass(frozen=True)
class RedditSettings:
    """Config schema of a `reddit` source."""

    client_id: str = setting(help="client id of a Reddit app (reddit.com/prefs/apps, 'script')")
    client_secret: str = setting(help='the app\'s secret, as { env = "REDDIT_CLIENT_SECRET" }')
    subreddits: list = setting([], help="subreddits whose new posts and their comments are read")
    search: list = setting([], help="queries searched across all of Reddit, newest first")
    user_agent: str = setting(USER_AGENT, help="User-Agent Reddit sees; it asks for a unique one")
    oauth_url: str = setting("https://oauth.reddit.com", help="Reddit API base URL")
    reddit_url: str = setting("https://www.reddit.com", help="URL access tokens are asked from")
    limit: int = setting(100, help="most posts read per subreddit or query in one run")
    reach_window: float = setting(48.0, help="hours a post's score and comments are re-read")
    timeout: float = setting(16.0, help="seconds before a silent Reddit response is given up on")
    retry_wait: float = setting(1.0, help="seconds before retrying a 5xx or dropped connection")
    username: str = setting("", help="account replies are posted as; empty: replies copied by hand")
    password: str = setting("", help='that account\'s password, as { env = "REDDIT_PASSWORD" }')


class RedditCollector:
    """Reads subreddits and searches through praw with app-only (read-only) credentials."""

    kind: ClassVar[str] = "reddit"
    default_channel: ClassVar[str] = "social"
    Settings: ClassVar[type] = RedditSettings

    def __init__(self, settings: RedditSettings):
        self.settings = settings
        # "r/name", "/r/name/" and "name" all mean the subreddit called name.
        self.subreddits = [
            re.sub(r"^/?r/|/$", "", str(name).strip()) for name in settings.subreddits
        ]
        if not settings.client_id or not settings.client_secret:
            raise SourceError("reddit: `client_id` and `client_secret` of a Reddit app are needed")
        if not self.subreddits and not settings.search:
            raise SourceError("reddit: give at least one entry in `subreddits` or `search`")
        if settings.limit < 1:
            raise SourceError("reddit: `limit` must be at least 1")

    def fetch(self, state: Mapping[str, Any]) -> Iterator[Batch]:
        """Yield reach re-reads of young posts, new posts listing by listing, then new threads."""
        try:
            run = _Run(self.settings, self.subreddits, state)
        except (prawcore.PrawcoreException, praw.exceptions.PRAWException) as error:
            raise SourceError(f"reddit settings: {error}") from error  # e.g. a too short user_agent
        try:
            yield from run.batches()
        except RateLimited:
            yield run.batch([])  # the budget as last seen belongs in the checkpoint
            raise
        except (prawcore.PrawcoreException, praw.exceptions.PRAWException) as error:
            failure = _source_error(error, run.where)
            if isinstance(failure, RateLimited):
                yield run.batch([])
            raise failure from error
        finally:
            run.http.close()


class _Run:
    """One fetch: the praw client, its HTTP session and the checkpoint as it advances."""

    def __init__(self, settings: RedditSettings, subreddits: list[str], state: Mapping[str, Any]):
        self.settings = settings
        self.subreddits = subreddits
        self.where = "Reddit"
        self.state: dict[str, Any] = {
            "cursors": copy.deepcopy(dict(state.get("cursors") or {})),
            "pending_comments": list(state.get("pending_comments") or []),
            "young": copy.deepcopy(dict(state.get("young") or {})),
        }
        self.budget = RateBudget(state.get("rate_limit"))
        self.http = RetryingSession(settings.timeout, settings.retry_wait)
        self.http.hooks["response"].append(self.budget.note)
        self.reddit = praw.Reddit(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            user_agent=settings.user_agent,
            oauth_url=settings.oauth_url,
            reddit_url=settings.reddit_url,
            # Pinned so praw_* variables or a praw.ini cannot turn this into a user login.
            username=None,
            password=None,
            refresh_token=None,
            check_for_updates=False,  # no PyPI lookup from inside a collector
            requestor_kwargs={"session": self.http},
        )

    def batches(self) -> Iterator[Batch]:
        """Every batch of this run, in the order the requests are made."""
        yield from self._reread_reach()
        for name in self.subreddits:
            yield from self._walk(f"r/{name}", f"r/{name}/new", {})
        for query in self.settings.search:
            params = {"q": query, "sort": "new", "t": "all"}
            yield from self._walk(f"search {query!r}", "search", params, key=f"search:{query}")
        yield from self._fetch_comments()

    def batch(self, posts: list[Post], warnings: list[str] | None = None) -> Batch:
        """A batch whose state is a snapshot: later progress must not change a yielded one."""
        state = copy.deepcopy(self.state) | {"rate_limit": self.budget.as_state()}
        return Batch(posts, state, warnings or [])

    def _walk(self, where: str, path: str, params: dict, key: str = "") -> Iterator[Batch]:
        """Yield a listing's new submissions page by page, newest first, down to its cursor."""
        self.where, key = where, key or where.lower()
        cursor = self.state["cursors"].get(key)
        newest: dict[str, Any] | None = None
        after, read, finished = None, 0, False
        while not finished:
            self._check_budget()
            page = dict(params, limit=min(PAGE_SIZE, self.settings.limit - read))
            if after:
                page["after"] = after
            listing = self.reddit.get(path, params=page)
            posts = []
            for item in listing.children:
                read += 1
                if cursor and (
                    item.fullname == cursor["fullname"] or item.created_utc < cursor["created_utc"]
                ):
                    finished = True  # reached what the last run already read
                    break
                if not isinstance(item, Submission):
                    continue
                newest = newest or {"fullname": item.fullname, "created_utc": item.created_utc}
                posts.append(post_from_submission(item))
                self._track(item)
                if vars(item).get("num_comments"):
                    self._await_comments(item)
            after = listing.after
            finished = finished or not after or not listing.children or read >= self.settings.limit
            if finished and newest:
                # Only a walk that got down to the old cursor moves it: a run stopped half-way
                # (429, budget, crash) reads from the top again, and storage ignores repeats.
                self.state["cursors"][key] = newest
            if posts or (finished and newest):
                yield self.batch(posts)

    def _fetch_comments(self) -> Iterator[Batch]:
        """Yield the comments of each thread waiting for them, one thread per batch."""
        pending = self.state["pending_comments"]
        while pending:
            fullname = pending[0]
            self.where = f"comments of {fullname}"
            self._check_budget()
            submission = self.reddit.submission(id=fullname.removeprefix("t3_"))
            warnings = []
            try:
                # "load more" stubs cost one request each; the budget goes to new threads.
                submission.comments.replace_more(limit=0)
                comments = [c for c in submission.comments.list() if isinstance(c, Comment)]
            except (prawcore.NotFound, prawcore.Forbidden) as error:
                comments, warnings = [], [f"{self.where}: skipped ({error})"]
            for comment in comments:
                self._track(comment)
            pending.pop(0)
            yield self.batch([post_from_comment(c) for c in comments], warnings)

    def _reread_reach(self) -> Iterator[Batch]:
        """Yield the young posts of earlier runs again with their current score and comments."""
        young = self.state["young"]
        horizon = time.time() - self.settings.reach_window * 3600
        for fullname in [name for name, (created, _) in young.items() if created < horizon]:
            del young[fullname]
        names = list(young)
        for start in range(0, len(names), PAGE_SIZE):
            self.where = "reach re-read"
            self._check_budget()
            posts = []
            for thing in self.reddit.info(fullnames=names[start : start + PAGE_SIZE]):
                if isinstance(thing, Submission):
                    posts.append(post_from_submission(thing))
                    before = young.get(thing.fullname, [0, 0])[1] or 0
                    if (vars(thing).get("num_comments") or 0) > before:
                        self._await_comments(thing)  # a young thread has new comments
                elif isinstance(thing, Comment):
                    posts.append(post_from_comment(thing))
                self._track(thing)
            yield self.batch(posts)

    def _await_comments(self, submission: Any) -> None:
        """Queue a thread for its comments; the queue lives in the checkpoint across runs."""
        if submission.fullname not in self.state["pending_comments"]:
            self.state["pending_comments"].append(submission.fullname)

    def _track(self, thing: Any) -> None:
        """Remember a post young enough for its reach to be re-read in the next runs."""
        created = float(vars(thing).get("created_utc") or 0)
        if created < time.time() - self.settings.reach_window * 3600:
            return
        young = self.state["young"]
        young[thing.fullname] = [created, vars(thing).get("num_comments")]
        if len(young) > MAX_TRACKED:
            del young[min(young, key=lambda name: young[name][0])]

    def _check_budget(self) -> None:
        """Stop before a request when Reddit's budget is nearly spent and not yet reset."""
        remaining, wait = self.budget.remaining, self.budget.seconds_to_reset()
        if remaining is not None and remaining < LOW_BUDGET and wait > 0:
            raise RateLimited(
                f"Reddit rate limit nearly used up ({remaining} requests left): "
                f"retry after {wait:.0f} s",
                wait,
            )


def post_from_submission(submission: Any) -> Post:
    """Turn a praw Submission into a Post; reach is its score and number of comments."""
    data = vars(submission)  # read fields as given: a missing one must not make praw fetch
    body = clean_text(data.get("selftext") or "")
    if not body and not data.get("is_self", True):
        body = data.get("url") or ""  # a link post's text is the link it shares
    return Post(
        external_id=submission.fullname,
        title=clean_text(data.get("title") or ""),
        body=body,
        author=_author(data.get("author")),
        url=WEB_URL + (data.get("permalink") or f"/comments/{submission.id}/"),
        published_at=datetime.fromtimestamp(float(data["created_utc"]), tz=UTC),
        score=_int_or_none(data.get("score")),
        comments=_int_or_none(data.get("num_comments")),
    )


def post_from_comment(comment: Any) -> Post:
    """Turn a praw Comment into a Post whose parent is the comment or thread it answers."""
    data = vars(comment)
    thread = str(data.get("link_id") or "").removeprefix("t3_")
    permalink = data.get("permalink") or f"/comments/{thread}/_/{comment.id}/"
    return Post(
        external_id=comment.fullname,
        body=clean_text(data.get("body") or ""),
        author=_author(data.get("author")),
        url=WEB_URL + permalink,
        published_at=datetime.fromtimestamp(float(data["created_utc"]), tz=UTC),
        score=_int_or_none(data.get("score")),
        parent_external_id=data.get("parent_id") or None,
    )


def _author(author: Any) -> str:
    """The author's name; praw gives None for deleted accounts, which Reddit shows so."""
    return "[deleted]" if author is None else str(author)


def _int_or_none(value: Any) -> int | None:
    """An integer count, or None when Reddit hides it."""
    return int(value) if isinstance(value, int | float) else None


def _source_error(error: Exception, where: str) -> SourceError:
    """Our error for what praw raised while reading `where`: a 429's wait, else the cause."""
    cause = getattr(error, "original_exception", None)  # what the HTTP layer raised, wrapped
    if isinstance(cause, TransientError):
        return SourceError(f"{where}: {cause} (after {ATTEMPTS} attempts)")
    response = error.response if isinstance(error, prawcore.ResponseException) else None
    if response is not None and response.status_code == 429:
        wait = retry_after(response.headers)
        return RateLimited(f"Reddit rate limit: retry after {wait:g} s ({where})", wait)
    if isinstance(error, prawcore.OAuthException) or (
        response is not None and response.url.rstrip("/").endswith("/api/v1/access_token")
    ):
        return SourceError(
            f"Reddit refused the app credentials ({error}): check client_id and client_secret"
        )
    if isinstance(error, prawcore.Redirect):
        return SourceError(f"{where}: not found (Reddit redirects to {error.path})")
    if response is not None:
        return SourceError(f"{where}: HTTP {response.status_code} {response.reason}".strip())
    shown = cause if isinstance(cause, Exception) else error
    return SourceError(f"{where}: {type(shown).__name__}: {shown}")
