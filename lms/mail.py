"""Outgoing mail: SMTP when SMTP_HOST is set (STARTTLS and login when SMTP_STARTTLS and
SMTP_USER say so); otherwise each message is written to the `lms.mail`
log, so an admin without a mail server can still pass a password-reset link on.

Absolute links in mail come from the BASE_URL setting, never from the request's Host header
(R18). Send only after the request's commit: nothing with a side effect happens before it.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("lms.mail")


def absolute_url(path: str) -> str:
    """BASE_URL (scheme, host and port, e.g. https://lms.example.org) + a path from url_for."""
    return current_app.config["BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message. Raises on an SMTP failure; callers that must answer the same
    whatever happens catch it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("SMTP_HOST"):
        log.warning("SMTP_HOST is not set, so this mail was not sent:\nTo: %s\nSubject: %s\n\n%s",
                    to, subject, body)
        return
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)
    log.info("mail sent: %s", subject)
