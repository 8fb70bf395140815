"""`make loadtest`: locust against gunicorn and PostgreSQL on 127.0.0.1 with the national dataset.

1. The database is DATABASE_URL when that names PostgreSQL, else
   postgres://postgres@127.0.0.1:5432/planportal_bench (as `make bench`); the national dataset is
   built there when the database has no plans.
2. The accounts of the test (coordinators of ten counties, readers and steering-group members of
   others, all made by build_national_dataset) get a fresh random password, set here.
3. gunicorn (gunicorn.conf.py, 3 workers × 4 threads, DEBUG off, static files collected for
   whitenoise) is started on a free port of 127.0.0.1.
4. locust runs headless for LOADTEST_TIME (2m) with LOADTEST_USERS (50) users, spawned 10 a second,
   and stops by itself; gunicorn is stopped afterwards.
5. check_lost_updates.py reads the history written since the start; the figures go to the
   section "loadtest" of docs/benchmarks.md.

Exits non-zero on any failed request or lost update.
"""

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import NATIONAL_DEFAULT, _ensure_postgres_database, _is_postgres  # noqa: E402

EDIT_COUNTIES = ["BD", "AC", "Z", "Y", "X", "W", "U", "T", "S", "O"]  # three sessions each
READ_COUNTIES = ["C", "D", "E", "F", "G", "H", "I", "K", "M", "N"]  # reader and steering group
VENV_BIN = Path(sys.executable).parent


def accounts() -> list[tuple[str, str]]:
    editors = [(f"samordnare-{code.lower()}", "edit") for code in EDIT_COUNTIES for _ in range(3)]
    kinds = ("kontakt", "styrgrupp")
    readers = [(f"{kind}-{code.lower()}", "read") for code in READ_COUNTIES for kind in kinds]
    return editors + readers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering; see its log above")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f} s")


def prepare(password: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from plans.models import Plan

    if not Plan.objects.exists():
        print("== building the national dataset (about a minute)", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("build_national_dataset")
    call_command("migrate", verbosity=0, interactive=False)
    names = {name for name, _mode in accounts()}
    users = list(get_user_model().objects.filter(username__in=names))
    missing = names - {user.username for user in users}
    if missing:
        raise SystemExit(f"The dataset lacks the accounts {sorted(missing)}; rebuild it with --force.")
    for user in users:
        user.set_password(password)
    get_user_model().objects.bulk_update(users, ["password"])


def summarise(stats_csv: Path, outcomes: dict, findings, *, users: int, run_time: str, url: str) -> str:
    with open(stats_csv, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen = [accounts()[index % len(accounts())] for index in range(users)]
    editing = sum(1 for _name, mode in chosen if mode == "edit")
    lines = [
        f"{users} logged-in users ({editing} editing sessions, three per county, of the coordinators of "
        f"{len({name for name, mode in chosen if mode == 'edit'})} counties; {users - editing} readers and "
        f"steering-group members of other counties) for {run_time} against gunicorn "
        "(3 workers × 4 threads, DEBUG off) and PostgreSQL on 127.0.0.1, national dataset "
        f"(`{url.rsplit('/', 1)[-1]}`), locust on the same {os.cpu_count()}-core machine. Times in ms.",
        "",
        "| request | count | failures | p50 | p95 | p99 | max | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} | "
            f"{row['99%']} | {float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.1f} |"
        )
    lines += [
        "",
        f"Status changes saved {outcomes.get('status saved', 0)}, refused as conflicts "
        f"{outcomes.get('status conflict', 0)}; follow-up edits saved {outcomes.get('follow-up saved', 0)}, "
        f"conflicts (409) {outcomes.get('follow-up conflict', 0)}. Conflicts are expected outcomes, not "
        "errors.",
        f"Lost updates: **{len(findings.lost)}** ({findings.status_changes} status changes and "
        f"{findings.follow_up_edits} follow-up edits checked against the version before each in the "
        "history).",
    ]
    return "\n".join(lines) + "\n"


def write_section(name: str, title: str, body: str) -> None:
    """Replace (or add) one `<!-- bench: NAME -->` section of docs/benchmarks.md, keep the rest."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    marker = "<!-- bench:"
    head, *parts = text.split(marker)
    sections = {}
    for part in parts:
        key, _, rest = part.partition("-->")
        sections[key.strip()] = rest.lstrip("\n")
    sections[name] = f"## {title}\n\n{body.strip()}\n\n"
    body_text = "".join(f"<!-- bench: {key} -->\n{value}" for key, value in sorted(sections.items()))
    path.write_text(head + body_text, encoding="utf-8")


def main() -> int:
    configured = os.environ.get("DATABASE_URL", "")
    url = configured if _is_postgres(configured) else NATIONAL_DEFAULT
    problem = _ensure_postgres_database(url, fresh=False)
    if problem:
        raise SystemExit(f"{problem}. The load test needs PostgreSQL with the national dataset.")
    users = int(os.environ.get("LOADTEST_USERS", "50"))
    run_time = os.environ.get("LOADTEST_TIME", "2m")
    password = secrets.token_urlsafe(18)
    work = Path(tempfile.mkdtemp(prefix="planportal-loadtest-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "planportal.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    prepare(password)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    started = datetime.now(UTC)
    log = open(work / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "planportal.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "3",
            "GUNICORN_THREADS": "4",
            "GUNICORN_ACCESS_LOG": str(work / "access.log"),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{host}/konto/login/", gunicorn)
        print(f"== locust: {users} users for {run_time} against {host}", flush=True)
        locust = subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(users),
                "--spawn-rate",
                "10",
                "--run-time",
                run_time,
                "--stop-timeout",
                "10",
                "--csv",
                str(work / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOADTEST_PASSWORD": password,
                "LOADTEST_ACCOUNTS": ",".join(f"{name}:{mode}" for name, mode in accounts()),
                "LOADTEST_OUTCOMES": str(work / "outcomes.json"),
            },
            check=False,
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=40)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        log.close()

    from loadtest.check_lost_updates import check

    findings = check(started)
    outcomes_path = work / "outcomes.json"
    outcomes = json.loads(outcomes_path.read_text()) if outcomes_path.exists() else {}
    body = summarise(work / "stats_stats.csv", outcomes, findings, users=users, run_time=run_time, url=url)
    print(body)
    for line in findings.lost:
        print("LOST:", line)
    errors = (work / "gunicorn.log").read_text(encoding="utf-8")
    if "Traceback" in errors or "ERROR" in errors:
        print(f"gunicorn logged errors; see {work / 'gunicorn.log'}")
    write_section("loadtest", "Load test (make loadtest)", body)
    print(f"Figures written to docs/benchmarks.md; logs in {work}")
    return 1 if locust.returncode or findings.lost else 0


if __name__ == "__main__":
    sys.exit(main())
