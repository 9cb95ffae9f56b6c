"""The search page: GET /search?q=, over the courses the viewer may open."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from lms import policy
from lms.catalog_store import current_catalog
from lms.learn.search import MAX_QUERY, SearchIndex, search
from lms.learn.views import bp


def _index() -> SearchIndex:
    """The app's search index: one per process, rebuilt when the catalog is reloaded."""
    return current_app.extensions.setdefault("lms.search", SearchIndex())


@bp.route("/search")
def search_page():
    if not policy.can_browse(current_user):
        return current_app.login_manager.unauthorized()
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY:
        abort(400, f"A search can be at most {MAX_QUERY} characters long.")
    query = "".join(c for c in query if c.isprintable()).strip()
    catalog = current_catalog()
    visible = {c.key for c in catalog.courses if policy.can_view_course(current_user, c)}
    hits = search(_index().entries(catalog), query, visible) if query else []
    return render_template("learn/search.html", query=query, hits=hits, max_query=MAX_QUERY)
