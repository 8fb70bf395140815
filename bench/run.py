"""Run every benchmark in ``bench/bench_*.py`` and write the figures to docs/benchmarks.md.

Each benchmark module has ``TITLE`` and ``run() -> str`` (a Markdown section body). They run
against a fresh SQLite database under var/ unless DATABASE_URL is set. Timings are wall-clock
on a shared, noisy machine: compare figures from one run side by side, not across days.

    make bench                    # all
    make bench BENCH=report       # only bench/bench_report.py
"""

import importlib
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planportal.settings")
BENCH_DB = ROOT / "var" / "bench.sqlite3"
if "DATABASE_URL" not in os.environ:
    BENCH_DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main(selected: list[str]) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    names = sorted(path.stem.removeprefix("bench_") for path in (ROOT / "bench").glob("bench_*.py"))
    if selected:
        names = [name for name in names if name in selected]
    sections = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"== {module.TITLE}", flush=True)
        started = time.perf_counter()
        body = module.run()
        print(body, flush=True)
        sections.append((name, f"## {module.TITLE}\n\n{body.strip()}\n"))
        print(f"({time.perf_counter() - started:.1f} s)", flush=True)
    write(sections)


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
        f"{connection.vendor}, {os.cpu_count()} cores. Wall-clock figures on a shared machine: "
        "compare numbers from the same run.\n\n"
    )
    body = "".join(f"<!-- bench: {name} -->\n{text}\n" for name, text in sorted(existing.items()))
    path.write_text(header + body, encoding="utf-8")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
