"""Export, import and backup: lossless round trips, hostile files refused, consistent copies."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms import create_app
from lms.backup import backup_database
from lms.extensions import db
from lms.portability import ImportRefused, export_data, import_data
from lms.progress.models import Completion

REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


_created = []


@pytest.fixture(autouse=True)
def _dispose_engines():
    yield
    while _created:
        with _created.pop().app_context():
            db.session.remove()
            db.engine.dispose()


def new_app(url: str, tmp_path: Path, courses=REAL_COURSES):
    import os

    os.environ["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": url,
                      "DATABASE_URL": url, "COURSES_DIR": str(courses)})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    _created.append(app)
    return app


def demo_app(app_config, tmp_path):
    app = new_app(app_config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    with app.app_context():
        from lms.catalog_store import current_catalog
        from lms.demo import build_demo

        build_demo(current_catalog(), campaigns=3, people=30)
        db.session.commit()
    return app


def exported(app):
    with app.app_context():
        return export_data()


def test_export_import_export_is_lossless(app_config, tmp_path, database_url):
    source = demo_app(app_config, tmp_path)
    first = exported(source)
    assert len(first["tables"]["user"]) == 30 and first["tables"]["quiz_attempt"]
    target = new_app(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path)
    with target.app_context():
        import_data(json.loads(json.dumps(first)))
        db.session.commit()
    assert exported(target) == first
    assert all("token_hash" not in row for row in first["tables"]["invite"])


def test_the_cli_exports_and_imports_with_a_progress_bar(app_config, tmp_path):
    source = demo_app(app_config, tmp_path)
    path = tmp_path / "export.json"
    result = source.test_cli_runner().invoke(args=["export", str(path)])
    assert result.exit_code == 0, result.output
    target = create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "COURSES_DIR": str(
        REAL_COURSES), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.sqlite3'}"})
    result = target.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert exported(target) == exported(source)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1,
                              max_size=40), min_size=1, max_size=6),
       versions=st.lists(st.integers(1, 50), min_size=0, max_size=6))
def test_round_trip_property(tmp_path_factory, names, versions):
    tmp = tmp_path_factory.mktemp("prop")
    source = new_app(f"sqlite:///{tmp / 'a.sqlite3'}", tmp)
    with source.app_context():
        from lms.auth.services import register

        users = [register(name, f"p{n}@example.org", "a long passphrase").id
                 for n, name in enumerate(names)]
        for n, version in enumerate(versions):
            db.session.add(Completion(user_id=users[n % len(users)], course_key="c",
                                      module_key=f"m{n}", module_version=version))
        db.session.commit()
    first = exported(source)
    target = new_app(f"sqlite:///{tmp / 'b.sqlite3'}", tmp)
    with target.app_context():
        import_data(first)
        db.session.commit()
    assert exported(target) == first


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="other"), "not an Evergreen export"),
    (lambda d: d.update(version=99), "not supported"),
    (lambda d: d["tables"].update(evil=[]), "Unknown tables"),
    (lambda d: d["tables"]["user"][0].update(name="x" * 500), "wrong type or size"),
    (lambda d: d["tables"]["user"][0].update(name="nul\x00"), "wrong type or size"),
    (lambda d: d["tables"]["user"][0].update(id="1"), "wrong type"),
    (lambda d: d["tables"]["user"][0].update(is_admin=1), "wrong type"),
    (lambda d: d["tables"]["user"][0].update(created_at="2026-01-01T00:00:00"), "time zone"),
    (lambda d: d["tables"]["user"][0].update(extra=1), "unknown columns"),
    (lambda d: d["tables"]["completion"].append({"oops": True}), "unknown columns"),
    (lambda d: d["tables"]["completion"][0].update(user_id=999999), None),  # foreign key
])
def test_hostile_exports_are_refused_with_nothing_imported(app_config, tmp_path, mutate,
                                                           message):
    data = exported(demo_app(app_config, tmp_path))
    mutate(data)
    target = new_app(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path)
    with target.app_context():
        with pytest.raises(ImportRefused if message else Exception, match=message):
            import_data(data)
            db.session.commit()
        db.session.rollback()
        from lms.auth.models import User

        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_truncated_files_and_non_empty_databases_are_refused(app_config, tmp_path):
    source = demo_app(app_config, tmp_path)
    path = tmp_path / "export.json"
    source.test_cli_runner().invoke(args=["export", str(path)])
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    target = create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "COURSES_DIR": str(
        REAL_COURSES), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.sqlite3'}"})
    result = target.test_cli_runner().invoke(args=["import", str(truncated)])
    assert result.exit_code != 0 and "Nothing was imported" in result.output
    result = source.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "not empty" in result.output


def test_a_version_1_export_from_an_earlier_release_still_imports(tmp_path):
    target = new_app(f"sqlite:///{tmp_path / 't.sqlite3'}", tmp_path)
    data = json.loads((FIXTURES / "exports" / "export-v1.json").read_text())
    with target.app_context():
        counts = import_data(data)
        db.session.commit()
    assert counts["user"] == len(data["tables"]["user"]) > 0
    assert counts["quiz_attempt"] == len(data["tables"]["quiz_attempt"]) > 0


def test_a_backup_taken_during_writes_is_consistent_and_complete(tmp_path, make_user):
    database = tmp_path / "live.sqlite3"
    app = new_app(f"sqlite:///{database}", tmp_path)
    with app.app_context():
        from lms.auth.services import register

        user_id = register("Writer", "w@example.org", "a long passphrase").id
        db.session.commit()
    acknowledged, stop = [], threading.Event()

    def writer():
        with app.app_context():
            n = 0
            while not stop.is_set() and n < 5000:
                db.session.add(Completion(user_id=user_id, course_key="c", module_key=f"m{n}",
                                          module_version=1))
                db.session.commit()
                acknowledged.append(n)
                n += 1
            db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    while len(acknowledged) < 50:
        time.sleep(0.01)
    before_backup = len(acknowledged)
    backup_database(f"sqlite:///{database}", str(tmp_path / "copy.sqlite3"))
    stop.set()
    thread.join()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {row[0] for row in copy.execute("SELECT module_key FROM completion")}
    assert {f"m{n}" for n in range(before_backup)} <= keys
    copy.close()
