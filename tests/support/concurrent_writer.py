"""Run by the concurrency test in two processes: four threads each record the same 200 quiz
attempts and 200 completions; prints a JSON summary of what happened."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
import threading

from lms import create_app
from lms.catalog_store import current_catalog
from lms.extensions import db
from lms.progress import services


def main(database_url: str, courses: str, users: list[int]) -> None:
    os.environ.setdefault("LMS_INSTANCE_PATH", tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "COURSES_DIR": courses,
                      "SECRET_KEY": "k" * 40})
    outcome = {"recorded": 0, "already": 0, "errors": []}
    lock = threading.Lock()

    def work(thread: int) -> None:
        with app.app_context():
            module = current_catalog().module("quizzing", "canvass")
            quiz = module.quizzes[0]
            for n in range(200):
                index = (n + thread * 50) % 200  # threads start at different points
                user = users[index % len(users)]
                version_module = dataclasses.replace(module, version=100 + index // len(users))
                try:
                    created = services.complete_module(user, version_module)
                    attempt, _ = services.submit_attempt(user, module, quiz, f"{index:032x}", {})
                    db.session.commit()
                except Exception as problem:  # noqa: BLE001 - every failure is reported
                    db.session.rollback()
                    with lock:
                        outcome["errors"].append(repr(problem))
                    continue
                with lock:
                    outcome["recorded" if created else "already"] += 1
            db.session.remove()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(outcome))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [int(u) for u in sys.argv[3].split(",")])
