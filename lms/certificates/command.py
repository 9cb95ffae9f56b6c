"""`lms certificates issue`: issue every certificate already earned but not yet recorded.

Certificates are issued as modules are completed. Progress recorded another way (an import,
the demo, completions from before certificates existed) earns them too: this command, run
once after upgrading or importing, issues what is missing. Running it again issues nothing.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.catalog_store import current_catalog
from lms.certificates.services import issue_missing
from lms.extensions import db


@click.group("certificates")
def certificates() -> None:
    """Issue certificates."""


@certificates.command("issue")
@with_appcontext
def issue_command() -> None:
    """Issue the certificates people have earned but not yet received."""
    issued = issue_missing(current_catalog())
    db.session.commit()
    click.echo(f"Issued {issued} certificate{'s' if issued != 1 else ''}.")
