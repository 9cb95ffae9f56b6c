"""The app's front (WSGI, in front of Flask): the two answers that must come near the
framework's floor, given without a request context, the request hooks or the ORM.

- a kept page (GET; lms/pages.py), and
- a quiz submission the full path would accept (POST; lms/learn/quick_submit.py).

Each one answers only what it fully recognises and hands everything else to the app, which
answers as it always does (errors included). A failure in the front is logged and handed over
too: a submission is written once per token, so the app finishing it cannot double it.
"""

from __future__ import annotations

import logging

from flask import Flask

from lms import pages
from lms.learn import quick_submit

log = logging.getLogger("lms.front")


class Front:
    def __init__(self, app: Flask) -> None:
        self.app, self.wsgi_app = app, app.wsgi_app

    def __call__(self, environ, start_response):
        try:
            answer = _answer(self.app, environ)
        except Exception:  # never a bare error from here: the app answers instead
            log.exception("front: could not answer %s", environ.get("PATH_INFO"))
            answer = None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]


def _answer(app: Flask, environ):
    method = environ.get("REQUEST_METHOD")
    if method == "GET":
        return pages.answer(app, environ)
    if method == "POST":
        return quick_submit.answer(app, environ)
    return None


def init_app(app: Flask) -> None:
    app.wsgi_app = Front(app)
