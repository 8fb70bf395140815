"""Run every benchmark in ``bench/bench_*.py`` and write the figures to docs/benchmarks.md.

Each benchmark module has ``TITLE`` and ``run() -> str`` (a Markdown section body), and
runs in a child process with its own database:

- ``DATASET = "national"`` (bench_pages): the national dataset of
  ``manage.py build_national_dataset`` on PostgreSQL. The database is ``DATABASE_URL`` when
  that names PostgreSQL, else postgres://postgres@127.0.0.1:5432/planportal_bench. An empty
  database gets the dataset built (a few minutes, once); a database with other data is refused.
- the others build their own rows in a scratch database: a fresh SQLite file under var/, or,
  when ``DATABASE_URL`` names PostgreSQL, a fresh database "<name>_scratch" on that server.

Timings are wall-clock on a shared, noisy machine: compare figures from one run side by side,
not across days.

    make bench                    # all
    make bench BENCH=pages        # only bench/bench_pages.py
"""

import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = ROOT / "var" / "bench.sqlite3"
NATIONAL_DEFAULT = "postgres://postgres@127.0.0.1:5432/planportal_bench"


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _ensure_postgres_database(url: str, *, fresh: bool) -> str | None:
    """Create the database of ``url`` if missing (drop it first when ``fresh``); None if unreachable."""
    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    try:
        connection = psycopg2.connect(_with_database(url, "postgres"), connect_timeout=3)
    except psycopg2.OperationalError as error:
        return f"PostgreSQL at {urlsplit(url).netloc} does not answer ({str(error).strip()})"
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return None


def database_for(module_name: str) -> tuple[str | None, str]:
    """The DATABASE_URL a benchmark runs against, or None and why it cannot run."""
    configured = os.environ.get("DATABASE_URL", "")
    source = (ROOT / "bench" / f"bench_{module_name}.py").read_text(encoding="utf-8")
    if 'DATASET = "national"' in source:
        url = configured if _is_postgres(configured) else NATIONAL_DEFAULT
        problem = _ensure_postgres_database(url, fresh=False)
        if problem:
            return None, (
                f"{problem}. This benchmark needs the national dataset on PostgreSQL: start a server "
                f"or set DATABASE_URL=postgres://user@host:5432/planportal_bench."
            )
        return url, ""
    if _is_postgres(configured):
        url = _with_database(configured, urlsplit(configured).path.lstrip("/") + "_scratch")
        problem = _ensure_postgres_database(url, fresh=True)
        return (None, problem) if problem else (url, "")
    BENCH_DB.parent.mkdir(exist_ok=True)
    BENCH_DB.unlink(missing_ok=True)
    return f"sqlite:///{BENCH_DB}", ""


def main(selected: list[str]) -> None:
    names = sorted(path.stem.removeprefix("bench_") for path in (ROOT / "bench").glob("bench_*.py"))
    if selected:
        names = [name for name in names if name in selected]
    sections = []
    for name in names:
        url, problem = database_for(name)
        if url is None:
            print(f"== bench_{name} skipped: {problem}", flush=True)
            continue
        started = time.perf_counter()
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "planportal.settings"}
            subprocess.run(
                [sys.executable, str(Path(__file__)), "--child", name, out.name], env=env, check=True
            )
            result = json.loads(Path(out.name).read_text(encoding="utf-8"))
        print(result["body"], flush=True)
        sections.append((name, f"## {result['title']}\n\n{result['body'].strip()}\n"))
        print(f"({time.perf_counter() - started:.1f} s)", flush=True)
    if sections:
        write(sections)


def child(name: str, out: str) -> None:
    """Run one benchmark in this process, against the DATABASE_URL the parent chose."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    module = importlib.import_module(f"bench.bench_{name}")
    print(f"== {module.TITLE}", flush=True)
    if hasattr(module, "prepare"):
        module.prepare()
    body = module.run()
    Path(out).write_text(json.dumps({"title": module.TITLE, "body": body}), encoding="utf-8")


def write(sections: list[tuple[str, str]]) -> None:
    """Replace the sections that ran in docs/benchmarks.md, keep the others."""
    path = ROOT / "docs" / "benchmarks.md"
    existing: dict[str, str] = {}
    if path.exists():
        current = None
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.startswith("<!-- bench:"):
                current = line.strip()[len("<!-- bench:") : -len(" -->")].strip()
                existing[current] = ""
            elif current:
                existing[current] += line
    for name, text in sections:
        existing[name] = text
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (`bench/run.py`). Last run: "
        f"{time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; each section names its database. Wall-clock figures on a shared "
        "machine: compare numbers from the same run.\n\n"
    )
    # A kept section ends in the blank line written after it last time: strip it, or every run adds one.
    body = "".join(f"<!-- bench: {name} -->\n{text.rstrip()}\n\n" for name, text in sorted(existing.items()))
    path.write_text(header + body, encoding="utf-8")
    print(f"Wrote {path}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1:])
