"""The mail accounts send: a reset link, and notes that a password or an email address changed.

Called by views after their commit. A mail failure is logged, never shown: the page answers the
same whether or not a message went out (R13), and the change itself is already saved.
"""

from __future__ import annotations

import logging

from flask import current_app, url_for

from lms import mail
from lms.auth.models import User
from lms.auth.resets import RESET_LIFETIME
from lms.models import utcnow

log = logging.getLogger("lms.auth")


def _send(to: str, subject: str, body: str) -> None:
    try:
        mail.send_mail(to, subject, body)
    except Exception:  # noqa: BLE001 - any mail failure: logged, and the page answers the same
        log.exception("could not send mail %r", subject)


def _signature() -> str:
    return f"\n\n-- \n{current_app.config['ORGANISATION_NAME']}\n"


def reset_link(user: User, token: str) -> None:
    minutes = int(RESET_LIFETIME.total_seconds() // 60)
    link = mail.absolute_url(url_for("auth.reset_link", token=token))
    _send(user.email, "Reset your password", (
        f"Hello {user.name},\n\n"
        f"Someone asked to reset the password of your account. To choose a new one, open this "
        f"link within {minutes} minutes. It works once:\n\n{link}\n\n"
        f"If you did not ask, ignore this message: your password stays as it is."
    ) + _signature())


def password_changed(user: User) -> None:
    when = utcnow().strftime("%d %B %Y at %H:%M UTC")
    _send(user.email, "Your password was changed", (
        f"Hello {user.name},\n\n"
        f"The password of your account was changed on {when}, and every device that was "
        f"logged in to it was logged out.\n\n"
        f"If this was not you, reset your password now and tell your administrator:\n\n"
        f"{mail.absolute_url(url_for('auth.reset_request'))}"
    ) + _signature())


def email_changed(user: User, old_email: str) -> None:
    """Tell the old address (R19): if someone else made the change, its owner hears of it."""
    when = utcnow().strftime("%d %B %Y at %H:%M UTC")
    _send(old_email, "Your email address was changed", (
        f"Hello {user.name},\n\n"
        f"On {when} the email address of your account was changed from {old_email} to "
        f"{user.email}. Every device that was logged in to it was logged out.\n\n"
        f"If you made this change, there is nothing to do. If you did not, tell your "
        f"administrator at once: they can disable the account and put your address back."
    ) + _signature())
