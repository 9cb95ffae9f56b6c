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

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import bindparam, func, select

from lms import security
from lms.auth.models import User
from lms.campaigns.models import Cycle, Membership
from lms.catalog_store import current_catalog
from lms.certificates.models import Certificate
from lms.extensions import db, login_manager
from lms.models import utcnow
from lms.reports.memo import memo_for

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


def serve_kept_page():
    """Before the view: the kept page for this viewer, or None to take the full path (which
    then keeps what it renders, see keep_page)."""
    if (request.method != "GET" or request.endpoint not in KEPT_ENDPOINTS
            or "_flashes" in session or not current_app.config["PAGES_MEMO_MB"]):
        return None
    viewer = _viewer()
    if viewer is None:
        return None
    kind = KEPT_ENDPOINTS[request.endpoint]
    data = tuple(_fetch(kind.data, **request.view_args)) if kind.data is not None else ()
    g.page_key = key = (request.full_path, viewer, data, utcnow().date())
    # The page's CSRF token is signed from the session's own secret: kept per session.
    kept = _memo().peek((*key, session.get("csrf_token")),
                        fresh=lambda page: page.until is None or utcnow() < page.until)
    if kept is None:
        return None
    g.pop("page_key")
    g.kept_page_signed_in = bool(viewer)  # for the response headers, without loading the user
    return Response(kept.body(), mimetype="text/html")


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


def _viewer() -> tuple | None:
    """() for a visitor, the signed-in viewer's row, or None when the full path must decide
    (a stale or ended session, a session to refresh, a changed browser)."""
    session_id = session.get("_user_id")
    if session_id is None:
        return ()
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()) or len(user_id) > 18:
        return None
    if security.session_needs_attention() or (
            session.get("_id") != login_manager._session_identifier_generator()):
        return None
    row = _fetch(VIEWER, id=int(user_id))
    if row is None or row[DISABLED] or str(row[GENERATION]) != generation:
        return None
    return tuple(row)


_compiled: dict = {}


def _fetch(statement, **values):
    """One row of a fixed statement (plain values only, no type conversion) on a pooled DBAPI
    connection: the ORM session and its transaction cost ten times the query, on every
    request."""
    engine = db.engine
    compiled = _compiled.get((engine, statement))
    if compiled is None:
        compiled = _compiled[(engine, statement)] = statement.compile(dialect=engine.dialect)
    params = compiled.construct_params(values)
    if compiled.positional:
        params = [params[name] for name in compiled.positiontup]
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(compiled.string, params)
        return cursor.fetchone()
    finally:
        connection.close()


def _memo():
    return memo_for(current_catalog(), "lms.pages", current_app.config["PAGES_MEMO_MB"])


def init_app(app: Flask) -> None:
    app.before_request(serve_kept_page)
    app.after_request(keep_page)
