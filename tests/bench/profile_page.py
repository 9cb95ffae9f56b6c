"""Profile one page of a benchmark dataset kept by `run.py --keep` (pyinstrument).

    .venv/bin/python tests/bench/profile_page.py /tmp/evergreen-bench-XXXX /campaigns/1/dashboard \
        --who manager@demo.test
    ... --database-url postgresql+psycopg://postgres@127.0.0.1:5432/evergreen_bench

It serves the page through the app in this process (the test client), a few times to warm up,
then prints the CPU time per request and a pyinstrument profile of --requests more.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="the folder run.py --keep left")
    parser.add_argument("path")
    parser.add_argument("--who", default="staff@demo.test", help="'' for a visitor")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    instance = args.work / "sqlite"
    os.environ.update({
        "LMS_INSTANCE_PATH": str(instance), "LMS_COURSES_DIR": str(args.work / "courses"),
        "LMS_DATABASE_URL": args.database_url or f"sqlite:///{instance / 'lms.sqlite3'}",
        "LMS_SECRET_KEY": "profile-" * 8})
    from pyinstrument import Profiler

    from lms import create_app

    client = create_app().test_client()
    if args.who:
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        response = client.post("/login", data={"csrf_token": token, "email": args.who,
                                               "password": "evergreen-demo"})
        assert response.status_code == 302, f"login as {args.who}: {response.status_code}"
    for _ in range(5):
        assert client.get(args.path).status_code == 200, args.path
    started = time.process_time()
    for _ in range(args.requests):
        client.get(args.path)
    cpu_ms = (time.process_time() - started) / args.requests * 1000
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.stop()
    print(f"{args.path} as {args.who or 'a visitor'}: {cpu_ms:.1f} ms CPU per request")
    print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
