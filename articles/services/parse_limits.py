"""Limits on importing one page: its size, its nesting depth, and its time.

The parser is pure Python and the sanitizer's cost grows with the depth of the
tree, so some damaged or hostile pages make an import slow out of all
proportion: thousands of unclosed elements (``<span>``, ``<ul><li>``,
``<blockquote>``, any element) build a tree so deep that tree building and
cleaning turn quadratic. Three limits, cheapest first:

- size: more than ``settings.MAX_PAGE_BYTES`` is refused unread;
- depth: a scan by libxml2 (``articles.lwn.depth``, linear, milliseconds)
  refuses a page nested deeper than ``MAX_DEPTH`` (512) before any parsing;
- time: ``settings.PARSE_TIME_LIMIT`` seconds is one budget (``Deadline``) for
  the whole import. Parsing and sanitising (``page_prepare_limited``) are
  stopped at the deadline: a timer signal on the main thread
  (``_parse_with_timer``), elsewhere a child process killed in time
  (``_parse_in_child``); the store checks the same deadline between its steps,
  and on PostgreSQL ``statement_deadline`` also bounds each of its statements,
  so a single slow one (a lock wait, a huge upsert) cannot run past the limit.
"""

from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

from articles.lwn import LWNParseError, ParsedPage, parse_page
from articles.lwn.depth import MAX_DEPTH, html_depth
from articles.lwn.sanitize import page_sanitize

logger = logging.getLogger("lwnkb.ingest")

# A child process imports the parser before the clock starts; this bounds the import.
CHILD_START_TIMEOUT = 60.0


class PageTooLarge(LWNParseError):
    """The page is larger than ``settings.MAX_PAGE_BYTES``."""


class PageTooDeep(LWNParseError):
    """The page nests elements deeper than ``MAX_DEPTH``."""


class ParseTimeLimitExceeded(LWNParseError):
    """The import ran longer than ``settings.PARSE_TIME_LIMIT`` seconds."""


@dataclass
class Deadline:
    """One time budget for a whole import; ``seconds`` 0 means none."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def from_settings(cls, seconds: float | None = None) -> Deadline:
        return cls(float(settings.PARSE_TIME_LIMIT if seconds is None else seconds))

    def remaining(self) -> float:
        """Seconds left (at least a millisecond, so a timer still fires); 0: no limit."""
        if not self.seconds:
            return 0.0
        return max(self.seconds - (time.monotonic() - self.started), 0.001)

    def expired(self) -> bool:
        """The budget is spent (never, with no limit)."""
        return bool(self.seconds) and time.monotonic() - self.started > self.seconds

    def check(self, step: str) -> None:
        """Raise ``ParseTimeLimitExceeded`` when the budget is spent (``step`` names where)."""
        if self.expired():
            logger.warning("import stopped after %s s, while %s", self.seconds, step)
            raise _too_slow(self.seconds, step)


# PostgreSQL's SQLSTATE for a statement cancelled (statement_timeout, or pg_cancel_backend).
_QUERY_CANCELED = "57014"
# statement_timeout counts from each statement's start, so a timeout set once lets a late
# statement run past the deadline by the time since it was set: it is set again whenever
# that exceeds this many seconds, which bounds the overrun (a few sets per second of work).
RESET_AFTER = 0.25


@contextmanager
def statement_deadline(deadline: Deadline, *, step: str = "storing") -> Iterator[None]:
    """Bound every SQL statement in this block by the time ``deadline`` has left.

    The store checks ``deadline`` between its steps; this is the hard bound
    within a step. On PostgreSQL it keeps ``statement_timeout`` for the rest of
    the transaction (``set_config(…, true)``, i.e. ``SET LOCAL``) at the time
    left, so the server cancels a statement still running at the deadline (a
    lock wait, a huge upsert); a statement that would start after it is not sent.
    Either way ``ParseTimeLimitExceeded`` ("the import ran past
    LWNKB_PARSE_TIME_LIMIT while storing") is raised; ``step`` names the work.

    Use it directly inside the ``transaction.atomic()`` block that rolls back
    when it raises; on a clean exit the previous timeout is put back, so a
    caller's outer transaction keeps its own. SQLite has no statement timeout:
    there only the refusal to start a statement after the deadline applies. A
    no-op for a deadline of 0.
    """
    if not deadline.seconds:
        yield
        return
    if connection.vendor != "postgresql":
        with connection.execute_wrapper(_StatementGuard(deadline, step, timeout=False)):
            yield
        return
    if not connection.in_atomic_block:
        # SET LOCAL outside a transaction would do nothing (PostgreSQL only warns).
        raise RuntimeError("statement_deadline needs a transaction: use it in atomic()")
    guard = _StatementGuard(deadline, step, timeout=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        previous = cursor.fetchone()[0]
    try:
        with connection.execute_wrapper(guard):
            yield
    except DatabaseError as exc:
        # Cancelled before the deadline: someone else's cancel (pg_cancel_backend), not ours.
        if _sqlstate(exc) == _QUERY_CANCELED and deadline.expired():
            raise guard.exceeded() from exc
        raise
    # Not after an error: the transaction is aborted, and rolling it back undoes the setting.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


class _StatementGuard:
    """A Django execute wrapper: no statement starts after the deadline, and with
    ``timeout`` (PostgreSQL) ``statement_timeout`` follows the deadline's time left."""

    def __init__(self, deadline: Deadline, step: str, *, timeout: bool) -> None:
        self.deadline = deadline
        self.step = step
        self.timeout = timeout
        self.set_at: float | None = None

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        if self.deadline.expired():
            raise self.exceeded()
        now = time.monotonic()
        if self.timeout and (self.set_at is None or now - self.set_at > RESET_AFTER):
            # At least one millisecond: 0 would mean no timeout at all.
            milliseconds = max(math.ceil(self.deadline.remaining() * 1000), 1)
            # The driver's own cursor, so this statement does not come back through here.
            context["cursor"].cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [f"{milliseconds}ms"]
            )
            self.set_at = now
        return execute(sql, params, many, context)

    def exceeded(self) -> ParseTimeLimitExceeded:
        logger.warning("import stopped after %s s, while %s", self.deadline.seconds, self.step)
        return ParseTimeLimitExceeded(
            f"the import ran past LWNKB_PARSE_TIME_LIMIT while {self.step} "
            f"(a {self.deadline.seconds:g} s limit)"
        )


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error, read from the driver's exception Django wraps."""
    for candidate in (exc, exc.__cause__):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(code, str):
            return code
    return None


class _Expired(BaseException):
    """Raised inside the parse by the timer; never escapes this module."""


def page_parse_limited(
    data: bytes, *, url: str | None = None, time_limit: float | None = None
) -> ParsedPage:
    """``parse_page`` within the configured size, depth and time limits.

    Raises ``LWNParseError`` as ``parse_page`` does; ``PageTooLarge``,
    ``PageTooDeep`` and ``ParseTimeLimitExceeded`` (all ``LWNParseError``) say
    which limit a page broke, in words fit for an import run's error.
    ``time_limit`` overrides ``settings.PARSE_TIME_LIMIT``; 0 means no limit.
    """
    return _limited(data, url, Deadline.from_settings(time_limit), sanitize=False)


def page_prepare_limited(data: bytes, *, url: str | None, deadline: Deadline) -> ParsedPage:
    """Parse ``data`` and sanitise every HTML fragment, within the limits and ``deadline``.

    What ``page_import`` stores: the sanitised page (``page_sanitize``), so that
    the step whose cost depends on the page's shape is stopped in time too.
    """
    return _limited(data, url, deadline, sanitize=True)


def _limited(data: bytes, url: str | None, deadline: Deadline, *, sanitize: bool) -> ParsedPage:
    max_bytes: int = settings.MAX_PAGE_BYTES
    if len(data) > max_bytes:
        raise PageTooLarge(
            f"the page is {_size(len(data))}, larger than the {_size(max_bytes)} limit "
            "(LWNKB_MAX_PAGE_BYTES)"
        )
    depth = html_depth(data, stop_above=MAX_DEPTH)
    if depth > MAX_DEPTH:
        raise PageTooDeep(
            f"the page nests elements more than {MAX_DEPTH} deep (at least {depth:,} levels); "
            "no LWN page comes close, so it is refused as damaged or hostile"
        )
    seconds = deadline.remaining()
    if not seconds:
        return _prepare(data, url, sanitize)
    if _timer_usable():
        return _parse_with_timer(data, url, seconds, sanitize, deadline.seconds)
    return _parse_in_child(data, url, seconds, sanitize, deadline.seconds)


def _prepare(data: bytes, url: str | None, sanitize: bool) -> ParsedPage:
    page = parse_page(data, url=url)
    return page_sanitize(page) if sanitize else page


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _too_slow(seconds: float, step: str = "parsing") -> ParseTimeLimitExceeded:
    return ParseTimeLimitExceeded(
        f"{step} took longer than the {seconds:g} s limit (LWNKB_PARSE_TIME_LIMIT); "
        "the page is damaged or pathologically complex"
    )


def _timer_usable() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


class _Alarm:
    """The SIGALRM handler of one limited parse.

    Python ignores an exception raised while it runs a finalizer, a garbage
    collector callback or a weakref callback (it prints "Exception ignored in …" to
    stderr), and a parse that builds a big tree runs many: an alarm landing there
    would be lost and the parse would run on. So each alarm sets the next one
    ``RETRY`` seconds later before raising, until the parse has stopped and
    ``disarm`` is called; and where it can tell it is in a finalizer or a collector
    callback (``_swallowed_in``), it does not raise at all and leaves it to the next.
    """

    RETRY = 0.1

    def __init__(self) -> None:
        self.armed = True

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            return
        signal.setitimer(signal.ITIMER_REAL, self.RETRY)
        if not _swallowed_in(frame):
            raise _Expired

    def disarm(self) -> None:
        self.armed = False  # first: an alarm arriving now does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)


def _swallowed_in(frame: FrameType | None) -> bool:
    """True when an exception raised in ``frame`` would be ignored: the frame or one of
    its callers is a ``__del__`` or a function in ``gc.callbacks``. (A weakref
    callback cannot be told apart; the retried alarm covers it.)"""
    callbacks = {getattr(getattr(cb, "__func__", cb), "__code__", None) for cb in gc.callbacks}
    while frame is not None:
        if frame.f_code.co_name == "__del__" or frame.f_code in callbacks:
            return True
        frame = frame.f_back
    return False


def _parse_with_timer(
    data: bytes, url: str | None, seconds: float, sanitize: bool, limit: float
) -> ParsedPage:
    """Parse on the main thread, stopped by a POSIX interval timer (``signal.setitimer``).

    The main thread is where lwnkb imports in production (management commands,
    Celery's prefork and solo workers, gunicorn's sync workers). A thread cannot be
    killed, and a deadline checked between steps would need hooks all through the
    parser; the timer raises in the parse itself, between two bytecodes, at no cost
    to a parse that finishes in time. ``_Expired`` derives from ``BaseException`` so
    that the parser's catch-all (which turns surprises into ``LWNParseError``) lets
    it through. The previous handler is put back afterwards, and a timer that is
    already running (someone else's) is left alone (``_timer_usable``).
    """
    alarm = _Alarm()
    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return _prepare(data, url, sanitize)
        finally:
            alarm.disarm()
    except _Expired:
        logger.warning("parse of %s stopped after %s s", url or "a page", limit)
        raise _too_slow(limit) from None
    finally:
        alarm.disarm()  # again: in case an alarm cut the first call short
        signal.signal(signal.SIGALRM, previous)


def _child_main(data: bytes, url: str | None, sanitize: bool, connection: Connection) -> None:
    """In the child: say it is ready (the parser is imported), parse, send the result."""
    connection.send(("ready", None))
    try:
        result: tuple[str, object] = ("ok", _prepare(data, url, sanitize))
    except LWNParseError as exc:
        result = ("error", str(exc))
    connection.send(result)
    connection.close()


def _parse_in_child(
    data: bytes, url: str | None, seconds: float, sanitize: bool, limit: float
) -> ParsedPage:
    """Parse in a child process that is killed at the deadline.

    For where signals cannot stop the parse: threads other than the main one
    (``runserver``, the live test server, a threaded worker pool) and platforms
    without ``SIGALRM``. The child is started with "spawn", not "fork": forking a
    process that runs other threads can copy a lock that one of them holds and
    deadlock the child.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(data, url, sanitize, sender), daemon=True)
    child.start()
    sender.close()  # the child holds the only sending end: EOF if it dies
    answered = False
    try:
        if not receiver.poll(CHILD_START_TIMEOUT):
            raise LWNParseError("the parser process did not start")
        receiver.recv()  # "ready": the clock starts now, not before the imports
        if not receiver.poll(seconds):
            logger.warning("parse of %s stopped after %s s (child process)", url or "a page", limit)
            raise _too_slow(limit)
        status, value = receiver.recv()
        answered = True
    except EOFError:
        child.join(timeout=5)
        raise LWNParseError(
            f"the parser process ended without an answer (exit code {child.exitcode})"
        ) from None
    finally:
        receiver.close()
        child.join(timeout=5 if answered else 0)
        if child.is_alive():
            child.kill()
            child.join()
    if status == "error":
        raise LWNParseError(str(value))
    assert isinstance(value, ParsedPage)
    return value
