"""Files the application keeps (uploaded CVs, jobs' results) behind one small interface.

Two stores, chosen by FILE_STORE:

- "folder": files under UPLOAD_DIR (default instance/uploads), for one machine;
- "database": rows of the stored_files table, which every web node and worker reaches
  (the default on PostgreSQL). A file saved there is part of the caller's transaction:
  an application and its CV are saved together or not at all.

Keys are relative paths such as `cv/A901357/9f...e1.pdf` or `jobs/12/certificates.zip`.
An upload is saved with `save_with_change`, so that a change refused or rolled back leaves
no file behind; a file that a change stops referring to (a replaced CV, a removed
signature) is given to `discard`, which removes it with the change: never before it is
committed, never if it is not.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import sqlalchemy as sa
from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db
from .models.files import StoredFile


class MissingFile(LookupError):
    """No file is stored under this key."""


class FileStore(Protocol):
    """Where files live; each backend keeps the same keys."""

    def save(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, replacing what was there."""

    def read(self, key: str) -> bytes:
        """The file's bytes; MissingFile when there is none."""

    def delete(self, key: str) -> None:
        """Remove the file; nothing happens when there is none."""

    def keys(self) -> Iterator[str]:
        """Every key stored, in order."""


def check_key(key: str) -> str:
    """Refuse (ValueError) a key that is absolute or climbs out of the store."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or ".." in path.parts or "\\" in key or "\x00" in key:
        raise ValueError(f"not a file key: {key!r}")
    return str(path)


class FolderStore:
    """Files in a folder of this machine (owner-only permissions)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        partial.replace(path)  # readers see the whole file or none

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
            raise MissingFile(key) from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.endswith(".partial"):
                yield path.relative_to(self.root).as_posix()


class DatabaseStore:
    """Files as rows of stored_files, in the caller's transaction (it commits)."""

    def save(self, key: str, data: bytes) -> None:
        key = check_key(key)
        db.session.execute(sa.delete(StoredFile).where(StoredFile.key == key))
        db.session.add(StoredFile(key=key, content=data, size=len(data)))
        db.session.flush()

    def read(self, key: str) -> bytes:
        content = db.session.scalar(
            sa.select(StoredFile.content).where(StoredFile.key == check_key(key))
        )
        if content is None:
            raise MissingFile(key)
        return bytes(content)

    def delete(self, key: str) -> None:
        db.session.execute(sa.delete(StoredFile).where(StoredFile.key == check_key(key)))

    def keys(self) -> Iterator[str]:
        yield from db.session.scalars(sa.select(StoredFile.key).order_by(StoredFile.key))


def files_dir(app: Flask | None = None) -> str:
    """The folder store's root: UPLOAD_DIR, else instance/uploads."""
    app = app or current_app
    return app.config.get("UPLOAD_DIR") or os.path.join(app.instance_path, "uploads")


def store_kind(app: Flask | None = None) -> str:
    """FILE_STORE, or by default "database" on PostgreSQL and "folder" on SQLite."""
    app = app or current_app
    kind = app.config.get("FILE_STORE")
    if not kind:
        url = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
        kind = "database" if url.startswith("postgresql") else "folder"
    if kind not in ("folder", "database"):
        raise ValueError(f'FILE_STORE must be "folder" or "database", not {kind!r}')
    return str(kind)


def store() -> FileStore:
    """The store this application is configured with."""
    if store_kind() == "database":
        return DatabaseStore()
    return FolderStore(files_dir())


def keys_in(value: Any) -> list[str]:
    """The file-store keys inside a JSON value (a file answer keeps {"path": ...})."""
    if isinstance(value, dict):
        keys = [v for k, v in value.items() if k in ("key", "path") and isinstance(v, str)]
        return keys + [k for item in value.values() for k in keys_in(item)]
    if isinstance(value, list):
        return [k for item in value for k in keys_in(item)]
    return []


_DISCARDED = "files_discarded"  # (store, key): remove once the transaction commits
_SAVED = "files_saved"  # (store, key): remove unless the transaction commits


def save_with_change(key: str, data: bytes) -> None:
    """Save a file that belongs to the change being made (an upload): kept if the change
    is committed, removed if it is not (refused, rolled back, abandoned). The database
    store does so by itself; the folder store is told here."""
    current = store()
    current.save(key, data)
    if isinstance(current, FolderStore):
        _remember(_SAVED, current, key)


def discard(*keys: str | None) -> None:
    """Remove the files under `keys` once the current transaction commits (nothing refers
    to them then); otherwise keep them. The database store removes them within the
    transaction."""
    current = store()
    for key in filter(None, keys):
        if isinstance(current, DatabaseStore):
            current.delete(key)
        else:
            _remember(_DISCARDED, current, key)


def _remember(kind: str, folder: FileStore, key: str) -> None:
    """Note a folder-store file for when the transaction ends (it has begun, so that end
    is seen)."""
    db.session.connection()
    db.session.info.setdefault(kind, []).append((folder, key))


def _committed(session: Session) -> None:
    session.info.pop(_SAVED, None)
    for folder, key in session.info.pop(_DISCARDED, []):
        folder.delete(key)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    """After a commit (which emptied the lists) or a rollback or close of the whole
    transaction, not of one savepoint."""
    if transaction.nested or transaction.parent is not None:
        return
    session.info.pop(_DISCARDED, None)
    for folder, key in session.info.pop(_SAVED, []):
        folder.delete(key)


if not event.contains(FlaskSession, "after_commit", _committed):
    event.listen(FlaskSession, "after_commit", _committed)
    event.listen(FlaskSession, "after_transaction_end", _ended)
