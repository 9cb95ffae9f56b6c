"""Pages kept whole between requests, per viewer, session and data revision.

A learner page (catalog, course, module, My training) is a function of the catalog, the viewer's
account row (name, roles), their data (progress, certificates, the cycles they are on: all raise
`user.revision`, lms/campaigns/revisions.py) and the date. A campaign dashboard is a function of
the viewer's row, the campaign's cycles (every write it shows, and every change to who may see
it, raises a cycle's revision) and the date; the trainer's organisation overview, of the viewer's
row, every cycle and the date. So a page rendered once is kept in this process under (path, the
viewer's row, the revisions it depends on, date) and served again until any of them changes, or
a certificate it shows expires; a catalog reload starts an empty memo. Visitors share one page
per path.

A page is only ever served to the account row that was given it by the full request, with the
same data: a person who could not see a page never has one kept. It is served before the view
and before Flask-Login loads the user, for the cost of one indexed read of the viewer's row and,
for campaign pages, one of the cycles' revisions (no ORM). It keeps every rule of a full
request: the same user-row checks as the user loader (disabled, ended sessions), the session
lifetime, Flask-Login's session protection; anything else (a message to show, a session to
refresh) takes the full path. A page is kept per session (its CSRF token is signed from the
session's secret), and each quiz's submission token is fresh on every response.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import bindparam, create_engine, func, select

from lms import routing, security
from lms.auth.models import User
from lms.campaigns.models import Cycle, Membership
from lms.catalog_store import current_catalog
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.models import utcnow
from lms.reports.memo import memo_for

log = logging.getLogger("lms.pages")
# The viewer's whole account row but the password hash: every field a page might show, and the
# revision. DISABLED and GENERATION index the two the user loader checks.
VIEWER_COLUMNS = [column for column in User.__table__.columns if column.key != "password_hash"]
VIEWER = select(*VIEWER_COLUMNS).where(User.id == bindparam("id"))
DISABLED, GENERATION = (VIEWER_COLUMNS.index(User.__table__.c[name])
                        for name in ("disabled", "session_generation"))

def _next_expiry(*where):
    return select(func.min(Certificate.expires_at)).where(
        *where, Certificate.revoked_at.is_(None), Certificate.expires_at > bindparam("now"))


def _revisions(*where):
    """Raised by every write the page shows; the count and newest id see a new cycle."""
    return select(func.count(Cycle.id), func.sum(Cycle.revision), func.max(Cycle.id)).where(*where)


@dataclass(frozen=True)
class Kind:
    data: object  # a statement naming the data beyond the viewer's own, or None
    expiry: object  # the next expiry of a certificate the page shows (it changes then)


_LEARNER = Kind(None, _next_expiry(Certificate.user_id == bindparam("id")))
KEPT_ENDPOINTS = {
    "learn.catalog": _LEARNER, "learn.course": _LEARNER, "learn.module": _LEARNER,
    "learn.my_training": _LEARNER,
    "campaigns.dashboard": Kind(
        _revisions(Cycle.campaign_id == bindparam("campaign_id")),
        _next_expiry(Certificate.user_id.in_(
            select(Membership.user_id).join(Cycle, Cycle.id == Membership.cycle_id)
            .where(Cycle.campaign_id == bindparam("campaign_id"))))),
    "trainer.campaigns": Kind(_revisions(), _next_expiry()),
}
SUBMISSION = re.compile(rb'<input[^>]*\bname="submission"[^>]*\bvalue="([0-9a-f]{32})"')


@dataclass(frozen=True)
class KeptPage:
    parts: tuple[bytes, ...]  # the page split where each quiz's submission token goes
    until: datetime | None  # the next expiry of a certificate it shows: it changes then

    def body(self) -> bytes:
        """The page with fresh submission tokens (each one can record one attempt)."""
        out = [self.parts[0]]
        for part in self.parts[1:]:
            out += (secrets.token_hex(16).encode(), part)
        return b"".join(out)


def answer(app: Flask, environ) -> tuple[str, list, bytes] | None:
    """A kept page, answered in front of Flask (lms/front.py): without a request context, the
    hooks or a Response; None for everything else and every miss. The answer's headers are the
    app's own (security.response_headers)."""
    matched = routing.match(app, environ)
    if matched is None or matched[0] not in KEPT_ENDPOINTS:
        return None
    endpoint, view_args = matched
    request = app.request_class(environ)
    with app.app_context():
        page_session = app.session_interface.peek_session(app, request)
        found = _find(page_session, request, endpoint, view_args)
        if found is None or found[1] is None:
            return None
        body = found[1].body()
    headers = [("Content-Type", "text/html; charset=utf-8"),
               ("Content-Length", str(len(body))),
               *security.response_headers(request.is_secure, "_user_id" in page_session),
               ("Vary", "Cookie")]
    return "200 OK", headers, body


def serve_kept_page():
    """First request hook, for what the front did not answer: the key of this page, kept by
    keep_page after the view (or the page itself, if another request kept it meanwhile)."""
    if request.method != "GET":
        return None
    found = _find(session, request, request.endpoint, request.view_args)
    if found is None:
        return None
    key, kept = found
    if kept is None:
        g.page_key = key
        return None
    return Response(kept.body(), mimetype="text/html")


def _find(page_session, page_request, endpoint: str, view_args: dict):
    """(key, the kept page or None) for this request, or None when the full path must serve it
    without keeping it (not a kept page, a message to show, a session to end or refresh, an
    account or database that says no)."""
    if (endpoint not in KEPT_ENDPOINTS or "_flashes" in page_session
            or not current_app.config["PAGES_MEMO_MB"]):
        return None
    user_id = _session_user(page_session, page_request)
    if user_id is None:
        return None
    kind = KEPT_ENDPOINTS[endpoint]
    reads = [(VIEWER, {"id": user_id})] if user_id else []
    if kind.data is not None:
        reads.append((kind.data, view_args))
    rows = _fetch(reads)
    if rows is None:
        return None
    viewer = tuple(rows[0]) if user_id else ()
    if user_id and not _still_valid(viewer, page_session):
        return None
    data = tuple(rows[-1]) if kind.data is not None else ()
    key = (page_request.full_path, viewer, data, utcnow().date())
    # The page's CSRF token is signed from the session's own secret: kept per session.
    kept = _memo().peek((*key, page_session.get("csrf_token")),
                        fresh=lambda page: page.until is None or utcnow() < page.until)
    return key, kept


def keep_page(response: Response) -> Response:
    """After a full-path view that serve_kept_page found nothing for: keep what it rendered."""
    key = g.pop("page_key", None)
    if (key is None or response.status_code != 200 or response.mimetype != "text/html"
            or response.direct_passthrough or "_flashes" in session):
        return response
    viewer, kind = key[1], KEPT_ENDPOINTS[request.endpoint]
    # A visitor's page shows no certificate (and may be served with no database at all).
    until = db.session.scalar(kind.expiry, {"id": viewer[0], "now": utcnow(),
                                            **request.view_args}) if viewer else None
    html = response.get_data()
    parts, last = [], 0
    for match in SUBMISSION.finditer(html):
        parts.append(html[last:match.start(1)])
        last = match.end(1)
    parts.append(html[last:])
    page = KeptPage(tuple(parts), until)
    _memo().keep((*key, session.get("csrf_token")), page, len(html))
    return response


def _session_user(page_session, page_request) -> int | None:
    """0 for a visitor, the signed-in person's id, or None when the full path must decide (a
    session to end or refresh, a changed browser, a malformed id)."""
    session_id = page_session.get("_user_id")
    if session_id is None:
        return 0
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()) or len(user_id) > 18:
        return None
    if (security.session_needs_attention(page_session, current_app.config)
            or page_session.get("_id") != browser_identifier(page_request)):
        return None
    return int(user_id)


def session_account(page_session, page_request) -> tuple[int, int] | None:
    """(the signed-in person's id, the session's generation) when the session rules would let
    this request through unchanged; None when the full path must decide (a visitor, a session to
    end or refresh, a changed browser). The user loader's checks of the account row are the
    caller's: the quick quiz submission (lms/learn/quick_submit.py) makes them in its write
    (campaigns.revisions.touch_signed_in), with no read of its own."""
    user_id = _session_user(page_session, page_request)
    generation = page_session["_user_id"].partition(":")[2] if user_id else ""
    if not (generation.isascii() and generation.isdigit()) or str(int(generation)) != generation:
        return None  # not as the app writes it: the user loader's string comparison decides
    return user_id, int(generation)


def browser_identifier(page_request) -> str:
    """Flask-Login's session-protection identifier of this request (address and browser),
    computed from the request given: the front has no request context. Should Flask-Login
    change its formula, kept pages would only stop being served (tested)."""
    address = page_request.headers.get("X-Forwarded-For", page_request.remote_addr)
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent = page_request.headers.get("User-Agent")
    return hashlib.sha512(f"{address}|{agent.encode() if agent is not None else None}"
                          .encode()).hexdigest()


def _still_valid(row: tuple, page_session) -> bool:
    """The user loader's checks: the account exists, is enabled, and this session's generation
    is still its own (logging out and password changes move it on)."""
    generation = page_session["_user_id"].partition(":")[2]
    return bool(row) and not row[DISABLED] and str(row[GENERATION]) == generation


_compiled: dict = {}


def _fetch(reads: list) -> list | None:
    """One row of each fixed statement (plain values, no type conversion) on one connection of
    the reading engine, or None if the database could not answer (the full path will say so).
    The ORM session and its transaction cost ten times these reads, on every request."""
    engine = _reader()
    results = []
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            for statement, values in reads:
                compiled = _compiled.get((engine, statement))
                if compiled is None:
                    compiled = statement.compile(dialect=engine.dialect)
                    _compiled[(engine, statement)] = compiled
                params = compiled.construct_params(values)
                if compiled.positional:
                    params = [params[name] for name in compiled.positiontup]
                cursor.execute(compiled.string, params)
                results.append(cursor.fetchone())
        finally:
            connection.close()
    except engine.dialect.loaded_dbapi.Error:
        log.warning("kept pages: the database did not answer; taking the full path",
                    exc_info=True)
        return None
    return results


def _reader():
    """This process's engine for those reads: autocommit connections (each read sees the last
    commit; nothing to begin, roll back or ping), made after the worker forked."""
    pid, engine = current_app.extensions.get("lms.pages.reader", (None, None))
    if pid != os.getpid():
        engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT",
                               pool_pre_ping=False, pool_reset_on_return=None)
        current_app.extensions["lms.pages.reader"] = (os.getpid(), engine)
    return engine


def _memo():
    return memo_for(current_catalog(), "lms.pages", current_app.config["PAGES_MEMO_MB"])


def init_app(app: Flask) -> None:
    app.before_request(serve_kept_page)
    app.after_request(keep_page)
