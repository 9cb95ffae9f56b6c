"""The `lms` command: every Flask command plus run (here) and the app's own commands
(lms/commands.py: courses, user, demo), without --app."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import FlaskGroup
from flask_migrate import upgrade

from lms import create_app
from lms.config import ROOT, ensure_secret_key


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """Evergreen: training that outlives the campaign."""


def _instance_path() -> Path:
    import os

    return Path(os.environ.get("LMS_INSTANCE_PATH", ROOT / "instance")).resolve()


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False, help="Reload on code changes; show tracebacks.")
def run_command(host: str, port: int, debug: bool) -> None:
    """Apply pending migrations, then serve the app (development server)."""
    ensure_secret_key(_instance_path())
    app = create_app()  # built after the key exists (the CLI may have built one before)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    from werkzeug.serving import run_simple

    app.debug = debug
    click.echo(f"Evergreen is running at http://{host}:{port}/  (Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)


def _add_flask_commands() -> None:
    from flask.cli import routes_command, shell_command

    main.add_command(shell_command)
    main.add_command(routes_command)


_add_flask_commands()


if __name__ == "__main__":
    main()
