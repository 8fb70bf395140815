"""Backup and restore as the README tells it: pg_dump -Fc of the database, a tar of MEDIA_ROOT,
pg_restore into a new database, and the same rows and PDF bytes there."""

import shutil
import subprocess
import tarfile

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from plans.models import FollowUpReport

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore back up PostgreSQL; run with DATABASE_URL=postgres://…",
)


def _connect(name: str):
    config = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=name,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )


def _counts(name: str, tables: list[str]) -> dict[str, int]:
    with _connect(name) as link, link.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    link.close()
    return counts


def _pg_env() -> dict[str, str]:
    config = settings.DATABASES["default"]
    env = {"PGHOST": config["HOST"] or "", "PGPORT": str(config["PORT"] or ""), "PGUSER": config["USER"]}
    if config["PASSWORD"]:
        env["PGPASSWORD"] = config["PASSWORD"]
    return env


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed (apt postgresql-client)")
def test_it_restores_the_database_and_the_pdfs_from_a_backup(committed_counties, tmp_path, monkeypatch):
    for name, value in _pg_env().items():
        monkeypatch.setenv(name, value)
    source = connection.settings_dict["NAME"]
    scratch = f"{source}_restore"
    dump, media_tar = tmp_path / "planportal.dump", tmp_path / "media.tar.gz"

    # The backup: the whole database in pg_dump's custom format, and MEDIA_ROOT as a tar.
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-d", source, "-f", str(dump)], check=True)
    with tarfile.open(media_tar, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    admin = _connect("postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            cursor.execute(f'CREATE DATABASE "{scratch}"')
        # The restore: into a new database, and the PDFs into a new MEDIA_ROOT.
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        subprocess.run([*restore, "-d", scratch, str(dump)], check=True)
        restored_media = tmp_path / "restored"
        with tarfile.open(media_tar) as archive:
            archive.extractall(restored_media, filter="data")

        tables = connection.introspection.table_names()
        counts = _counts(scratch, tables)
        assert counts == _counts(source, tables)
        for table in ("plans_plan", "activities_activity", "activities_historicalactivity", "auth_user"):
            assert counts[table] > 0, table

        report = FollowUpReport.objects.filter(plan__county__letter_code="BD").get()
        with _connect(scratch) as link, link.cursor() as cursor:
            cursor.execute(
                "SELECT pdf, pdf_sha256 FROM plans_reportrevision WHERE report_id = %s AND number = 1",
                [report.pk],
            )
            pdf_name, sha256 = cursor.fetchone()
        link.close()
        assert sha256 == report.latest_revision().pdf_sha256
        assert (restored_media / "media" / pdf_name).read_bytes() == committed_counties["BD"]["pdf"]
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()
