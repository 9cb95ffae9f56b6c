"""The app's own commands: `lms courses`, `lms user`, `lms demo` (added to app.cli)."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade


@click.group()
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


@courses.command("import-gift")
@click.argument("bank", type=click.Path(exists=True, dir_okay=False))
@click.option("--course", "course_key", required=True, help="The course folder to write into.")
@click.option("--module", "module_key", help="Append to this module (or create it).")
@with_appcontext
def courses_import_gift(bank: str, course_key: str, module_key: str | None) -> None:
    """Convert a Moodle GIFT question bank into quiz blocks in a module file."""
    from pathlib import Path

    from lms.content.gift import convert_gift
    from lms.content.loader import MODULE_FILE, SLUG

    folder = Path(current_app.config["COURSES_DIR"]) / course_key
    if not SLUG.match(course_key) or not (folder / "course.md").is_file():
        raise click.BadParameter(f"no course folder {folder}", param_hint="--course")
    module_key = module_key or Path(bank).stem.lower().replace("_", "-")
    if not SLUG.match(module_key):
        raise click.BadParameter("use lowercase letters, digits and '-'", param_hint="--module")
    conversion = convert_gift(Path(bank).read_text(encoding="utf-8-sig"), bank,
                              quiz_id_prefix=f"{course_key}-{module_key}")
    for diagnostic in conversion.diagnostics:
        click.echo(str(diagnostic))
    existing = {MODULE_FILE.match(p.name).group(2): p for p in folder.glob("*.md")
                if MODULE_FILE.match(p.name)}
    target = existing.get(module_key)
    if target is None:
        number = max((int(MODULE_FILE.match(p.name).group(1)) for p in existing.values()),
                     default=0) + 1
        target = folder / f"{number:02d}-{module_key}.md"
        title = module_key.replace("-", " ").capitalize()
        target.write_text(f"---\ntitle: \"{title}\"\nminutes: 10\nversion: 1\n---\n\n"
                          + conversion.markdown, encoding="utf-8")
    else:
        with target.open("a", encoding="utf-8") as handle:
            handle.write("\n" + conversion.markdown)
    click.echo(f"{conversion.imported} questions imported into {target}, "
               f"{conversion.skipped} not converted (listed above).", err=True)
    sys.exit(1 if any(d.is_error for d in conversion.diagnostics) else 0)


@click.group()
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


@click.command("demo")
@click.option("--campaigns", default=2, show_default=True, type=click.IntRange(2, 100000))
@click.option("--people", default=12, show_default=True, type=click.IntRange(4, 1000000))
@click.option("--force", is_flag=True, help="Add demo data to a database that has accounts.")
@with_appcontext
def demo_command(campaigns: int, people: int, force: bool) -> None:
    """Fill the database with sample campaigns, people and progress."""
    from lms.catalog_store import current_catalog
    from lms.demo import PASSWORD, DemoRefused, build_demo
    from lms.extensions import db

    upgrade(directory=current_app.extensions["migrate"].directory)
    try:
        result = build_demo(current_catalog(), campaigns=campaigns, people=people, force=force)
    except DemoRefused as refused:
        raise click.ClickException(str(refused)) from refused
    from lms.certificates.services import issue_missing

    issue_missing(current_catalog())  # the demo's finished courses earn their certificates
    db.session.commit()
    click.echo(f"Demo data: {result.campaigns} campaigns, {result.people} people.")
    click.echo(f"Log in with any of these accounts (password: {PASSWORD}):")
    for email, name, role in result.accounts:
        click.echo(f"  {email:<24} {name:<14} {role}")


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(path: str) -> None:
    """Write everything to a versioned JSON file (keep it safe: it holds personal data)."""
    from lms.portability import export_data, write_export

    with click.progressbar(length=_total_rows(), label="Exporting") as bar:
        data = export_data(progress=bar.update)
    write_export(path, data)
    current_app.logger.info("exported the database to %s", path)
    click.echo(f"Exported {sum(map(len, data['tables'].values()))} rows to {path}.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path: str) -> None:
    """Restore an export into an empty database, in one transaction."""
    from lms.extensions import db
    from lms.portability import ImportRefused, import_data, read_export

    upgrade(directory=current_app.extensions["migrate"].directory)
    try:
        data = read_export(path)
        rows = sum(len(r) for r in data.get("tables", {}).values()) if isinstance(
            data, dict) and isinstance(data.get("tables"), dict) else 0
        with click.progressbar(length=rows, label="Importing") as bar:
            counts = import_data(data, progress=bar.update)
        db.session.commit()
    except ImportRefused as refused:
        db.session.rollback()
        raise click.ClickException(f"Nothing was imported: {refused}") from refused
    click.echo(f"Imported {sum(counts.values())} rows from {path}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str) -> None:
    """Copy the live database consistently (SQLite online backup API, or pg_dump)."""
    from lms.backup import BackupFailed, backup_database

    try:
        click.echo(backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path))
    except BackupFailed as failed:
        raise click.ClickException(str(failed)) from failed


def _total_rows() -> int:
    from sqlalchemy import func, select

    from lms.extensions import db
    from lms.portability import _tables

    return sum(db.session.scalar(select(func.count()).select_from(t)) for t in _tables())


def register(app: Flask) -> None:
    from lms.certificates.command import certificates
    from lms.reminders.command import remind_command

    for command in (courses, user, demo_command, export_command, import_command,
                    backup_command, remind_command, certificates):
        app.cli.add_command(command)
