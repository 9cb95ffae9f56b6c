"""`lms remind`: send this week's reminders (for cron; running it twice sends nothing twice).

Each message is its own transaction: it is claimed (recorded in `reminder_sent`) and the claim
committed before the mail goes, so no run, concurrent or repeated, sends it again this week;
if sending fails the claim is released and the next run tries again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

import click
from flask.cli import with_appcontext

from lms import mail
from lms.catalog_store import current_catalog
from lms.extensions import db
from lms.models import utcnow
from lms.reminders import services

log = logging.getLogger("lms.reminders")


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Show who would get what; send and record nothing.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Take due dates and the week from this date (YYYY-MM-DD) instead of "
                   "today (UTC). Team summaries always show the dashboard as of now.")
@with_appcontext
def remind_command(dry_run: bool, today: datetime | None) -> None:
    """Email people whose required training is due, and managers a summary of their team."""
    day: date = today.date() if today else utcnow().date()
    period = services.period_of(day)
    messages = services.plan_messages(day, current_catalog())
    sent_before = services.already_sent(messages, period)
    db.session.rollback()  # end the read transaction: each message gets its own below
    counts = {"sent": 0, "already sent": 0, "failed": 0}
    for message in messages:
        label = f"{message.kind} reminder to {message.to}: {message.subject}"
        if dry_run:
            done = (message.user_id, message.kind) in sent_before
            click.echo(f"{'already sent' if done else 'would send'}: {label}")
            counts["already sent" if done else "sent"] += 1
            continue
        counts[_deliver(message, period, label)] += 1
    verb = "would send" if dry_run else "sent"
    click.echo(f"Reminders for {period}: {counts['sent']} {verb}, "
               f"{counts['already sent']} already sent, {counts['failed']} failed.")
    if counts["failed"]:
        raise SystemExit(1)


def _deliver(message: services.Message, period: str, label: str) -> str:
    if not services.claim(message, period):
        db.session.rollback()
        return "already sent"
    db.session.commit()
    try:
        mail.send_mail(message.to, message.subject, message.body)
    except Exception:  # noqa: BLE001 - any mail failure: released for the next run, logged
        log.exception("could not send the %s", label)
        services.release(message, period)
        db.session.commit()
        click.echo(f"failed: {label}", err=True)
        return "failed"
    click.echo(f"sent: {label}")
    return "sent"
