"""The `lms` command: every Flask command plus run, courses and user, without --app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, pass_script_info, with_appcontext
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
@pass_script_info
def run_command(info: ScriptInfo, host: str, port: int, debug: bool) -> None:
    """Apply pending migrations, then serve the app (development server)."""
    ensure_secret_key(_instance_path())
    app = info.load_app()
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    from werkzeug.serving import run_simple

    app.debug = debug
    click.echo(f"Evergreen is running at http://{host}:{port}/  (Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)


@main.group()
def courses() -> None:
    """Check and inspect the course files."""


def _load(directory: str | None):
    from lms.content.loader import load_catalog

    return load_catalog(directory or current_app.config["COURSES_DIR"])


@courses.command("check")
@click.argument("directory", required=False)
@with_appcontext
def courses_check(directory: str | None) -> None:
    """Print every problem as file:line:col: severity CODE: message; exit 1 on any error."""
    catalog = _load(directory)
    for diagnostic in catalog.diagnostics:
        click.echo(str(diagnostic))
    modules = sum(len(c.modules) for c in catalog.courses)
    errors = len(catalog.errors)
    warnings = len(catalog.diagnostics) - errors
    click.echo(f"{len(catalog.courses)} courses, {modules} modules: "
               f"{errors} errors, {warnings} warnings", err=True)
    sys.exit(1 if errors else 0)


@courses.command("show")
@click.argument("directory", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the parsed catalog as JSON.")
@with_appcontext
def courses_show(directory: str | None, as_json: bool) -> None:
    """Print the parsed catalog (answer keys included: an operator's tool)."""
    from lms.content.export import catalog_to_dict

    catalog = _load(directory)
    data = catalog_to_dict(catalog)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for course in data["courses"]:
        click.echo(f"{course['key']}: {course['title']} ({len(course['modules'])} modules)")
        for module in course["modules"]:
            quizzes = len(module["quizzes"])
            click.echo(f"  {module['key']} v{module['version']}: {module['title']}"
                       f" ({module['minutes']} min, {quizzes} quiz{'zes' if quizzes != 1 else ''})")


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("create")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@click.option("--admin", is_flag=True, help="Grant the admin role.")
@click.option("--trainer", is_flag=True, help="Grant the trainer role.")
@with_appcontext
def user_create(email: str, name: str, password: str, admin: bool, trainer: bool) -> None:
    """Create an account (for servers where self-registration is closed)."""
    from lms.auth import services
    from lms.auth.passwords import password_problem
    from lms.extensions import db

    problem = password_problem(password)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    try:
        account = services.register(name, email, password)
    except services.EmailTaken as taken:
        raise click.BadParameter("an account with this email exists", param_hint="email") from taken
    account.is_admin = account.is_admin or admin
    account.is_trainer = trainer
    db.session.commit()
    roles = [r for r, on in (("admin", account.is_admin), ("trainer", trainer)) if on]
    click.echo(f"Created user {account.id} <{account.email}>"
               + (f" ({', '.join(roles)})" if roles else ""))


def _add_flask_commands() -> None:
    from flask.cli import routes_command, shell_command

    main.add_command(shell_command)
    main.add_command(routes_command)


_add_flask_commands()


if __name__ == "__main__":
    main()
