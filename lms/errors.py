"""Friendly error pages that reveal nothing internal."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("lms.errors")

MESSAGES = {
    400: ("That request could not be used", "Something in what was sent was not valid. Go back, "
          "reload the page and try again."),
    403: ("You do not have access to this", "Your account cannot open this page. If you think "
          "it should, ask your campaign manager."),
    404: ("Page not found", "There is nothing here. The link may be old or mistyped."),
    405: ("That request could not be used", "This page cannot be used that way."),
    413: ("Too much was sent", "What you sent is too large. Shorten it and try again."),
    429: ("Too many attempts", "Please wait a minute and try again."),
    500: ("Something went wrong on our side", "The problem has been logged. Try again in a "
          "moment."),
}


def _page(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    return render_template("errors/error.html", status=status, title=title, message=message,
                           detail=detail), status


def handle_http(error: HTTPException):
    detail = None
    if error.code == 400 and error.description and not error.description.startswith(
            "The browser (or proxy) sent"):
        detail = error.description
    return _page(error.code or 500, detail)


def handle_csrf(error: CSRFError):
    return _page(400, "The form had expired or was missing its security token. Reload the "
                      "page and send it again.")


def handle_unexpected(error: InternalServerError):
    log.error("unhandled error", exc_info=error.original_exception or error)
    return _page(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
