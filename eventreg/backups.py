"""`flask backup` and `flask restore`: the database and the stored files in one archive.

The archive (a .tar.gz) holds manifest.json, the database (SQLite's online backup, or
`pg_dump --format=custom` on PostgreSQL: each a consistent snapshot taken while the app
runs) and, for the folder store, every stored file under files/. With the database store
the files are inside the database's snapshot. Restoring replaces the database and the
folder store's files with the archive's.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from . import files
from .extensions import db
from .models import utcnow

FORMAT = 1


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Report:
    database: str
    files: int


def _postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else from the newest PostgreSQL under /usr/lib."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")


def _libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the tools, with the password in the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _sqlite_path(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def backup(target: Path) -> Report:
    """Write the archive to `target` (refused if it exists); returns what it holds."""
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new name.")
    url = db.engine.url
    store = files.store()
    keys = list(store.keys()) if isinstance(store, files.FolderStore) else []
    with tempfile.TemporaryDirectory(prefix="eventreg-backup-") as work:
        if url.get_backend_name() == "postgresql":
            dump = Path(work) / "database.pgdump"
            uri, env = _libpq(url)
            _run([_postgres_tool("pg_dump"), "--format=custom", f"--file={dump}", uri], env)
        else:
            dump = Path(work) / "database.sqlite3"
            source = sqlite3.connect(_sqlite_path(url))
            copy = sqlite3.connect(dump)
            with source, copy:
                source.backup(copy)
            source.close()
            copy.close()
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        manifest = {
            "format": FORMAT,
            "database": url.get_backend_name(),
            "revision": revision,
            "file_store": files.store_kind(),
            "files": keys,
            "created_at": utcnow().isoformat(),
        }
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=dump.name)
            for key in keys:
                _add_bytes(archive, f"files/{key}", store.read(key))
        partial.replace(target)
    return Report(database=url.get_backend_name(), files=len(keys))


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def restore(source: Path) -> Report:
    """Replace the database and the folder store's files with the archive's.

    Refuses an archive of another format or of the other kind of database.
    """
    url = db.engine.url
    with (
        tempfile.TemporaryDirectory(prefix="eventreg-restore-") as work,
        tarfile.open(source, "r:gz") as archive,
    ):
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{source} is not an eventreg backup this version can read.")
        if manifest["database"] != url.get_backend_name():
            raise BackupError(
                f"{source} holds a {manifest['database']} database; "
                f"this app uses {url.get_backend_name()}."
            )
        db.session.remove()
        db.engine.dispose()
        if url.get_backend_name() == "postgresql":
            uri, env = _libpq(url)
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA public"))
            db.engine.dispose()
            dump = Path(work) / "database.pgdump"
            _run(
                [_postgres_tool("pg_restore"), "--no-owner", "--no-privileges",
                 "--single-transaction", f"--dbname={uri}", str(dump)],
                env,
            )  # fmt: skip
        else:
            backup_copy = sqlite3.connect(Path(work) / "database.sqlite3")
            live = sqlite3.connect(_sqlite_path(url))
            with backup_copy, live:
                backup_copy.backup(live)
            backup_copy.close()
            live.close()
        store = files.store()
        restored = 0
        if isinstance(store, files.FolderStore):
            for key in list(store.keys()):
                store.delete(key)
            for key in manifest["files"]:
                store.save(key, (Path(work) / "files" / files.check_key(key)).read_bytes())
                restored += 1
    return Report(database=url.get_backend_name(), files=restored)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Write the database and stored files to TARGET (a new .tar.gz)."""
    report = backup(target)
    click.echo(f"backed up the {report.database} database and {report.files} files to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the data now.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database and stored files with those of SOURCE (from `flask backup`)."""
    where = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Replace everything in {where} and the stored files?", abort=True)
    report = restore(source)
    click.echo(f"restored the {report.database} database and {report.files} files from {source}")
    current_app.logger.info("restored from %s", source)
