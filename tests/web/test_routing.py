"""The front's URL matching (lms/routing.match): Werkzeug's own answer, remembered per URL."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.test import EnvironBuilder

from lms import routing
from tests.web.test_quizzes import MODULE, SUBMIT

CASES = [
    ("GET", "/"), ("GET", MODULE), ("POST", SUBMIT), ("GET", SUBMIT), ("POST", MODULE),
    ("GET", "/courses/quizzing"),  # the course page is /courses/quizzing/: a redirect
    ("GET", "/courses/quizzing/"), ("GET", "/no/such/page"), ("PUT", SUBMIT),
    ("GET", SUBMIT + "/attempts/12"), ("GET", SUBMIT + "/attempts/0"),
    ("GET", SUBMIT + "/attempts/" + "9" * 23),  # ids are bounded
    ("GET", MODULE + "?q=x"), ("GET", "/static/img/favicon.svg"),
]


def werkzeug_match(app, environ):
    try:
        return app.create_url_adapter(app.request_class(environ)).match()
    except HTTPException:
        return None


@pytest.mark.parametrize(("method", "url"), CASES)
@pytest.mark.parametrize("host", ["localhost", "training.example.org:8443"])
def test_the_front_matches_urls_as_werkzeug_does(app, method, url, host):
    path, _, query = url.partition("?")

    def environ():
        return EnvironBuilder(path=path, query_string=query, method=method,
                              base_url=f"http://{host}/").get_environ()

    expected = werkzeug_match(app, environ())
    assert routing.match(app, environ()) == expected
    remembered = routing.match(app, environ())
    assert remembered == expected  # the second answer is the remembered one
    if remembered is not None:
        remembered[1]["course_key"] = "changed"  # a caller's copy: the next answer is intact
        assert routing.match(app, environ()) == expected


def test_a_websocket_upgrade_is_matched_apart(app):
    """Werkzeug matches a websocket request on websocket rules only (none here)."""
    plain = EnvironBuilder(path=MODULE).get_environ()
    upgrade = EnvironBuilder(path=MODULE, headers={"Connection": "Upgrade",
                                                   "Upgrade": "websocket"}).get_environ()
    assert routing.match(app, plain) is not None
    assert routing.match(app, upgrade) is werkzeug_match(app, upgrade) is None
