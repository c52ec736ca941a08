"""One-archive backups of the database and uploaded files (`manage.py backup` / `restore`).

Archive layout (`.tar.gz`):

    manifest.json          versions, database vendor and method, row counts per model, sha256 of every file
    database/db.sqlite3    SQLite: a consistent copy made with the sqlite3 online backup API
    database/db.pgdump     PostgreSQL: `pg_dump --format=custom` (when pg_dump is installed)
    database/data.json     fallback/portable: dumpdata with natural keys (any vendor)
    media/...              MEDIA_ROOT (Wagtail images and documents)
    private/...            PRIVATE_MEDIA_ROOT (permission-checked uploads)

Why native tools first: the SQLite backup API and pg_dump copy the whole database
exactly and consistently while the site runs (sequences, search index, every table
of every app, including ones added later), and restore is a single step.
dumpdata/loaddata (method "dumpdata", primary keys kept) is the portable
fallback — for a PostgreSQL server without a matching pg_dump, or to move data
between vendors — and rebuilds what it leaves out (search and reference index). Files on S3 are not archived (the bucket has its own
versioning); only file-system storages are.
"""

import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

FORMAT_VERSION = 1
# Rebuildable or transient; everything else (content types and permissions
# included, with their primary keys) is dumped, so every foreign key stays valid.
DUMPDATA_EXCLUDE = ["sessions", "wagtailsearch", "wagtailcore.referenceindex"]


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Row count of every concrete model whose table exists."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in tables:
            continue
        counts[meta.label] = model._base_manager.using(using).count()
    return dict(sorted(counts.items()))


def database_has_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    """A database "holds data" once it has a user account: migrations alone create
    rows (groups, membership tiers, the Wagtail root) but never a user."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if User._meta.db_table not in connections[using].introspection.table_names():
        return False
    return User._base_manager.using(using).exists()


def _git_commit() -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True,
                                timeout=5, check=False)
    except OSError:
        return ""
    return result.stdout.strip()


def file_roots() -> dict[str, Path]:
    """Archive prefix -> directory, for the storages that live on this disk."""
    roots = {}
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if backend.endswith("FileSystemStorage"):
        roots["media"] = Path(settings.MEDIA_ROOT)
    private = settings.STORAGES.get("private", {})
    if private.get("BACKEND", "").endswith("FileSystemStorage"):
        roots["private"] = Path(private.get("OPTIONS", {}).get("location") or settings.PRIVATE_MEDIA_ROOT)
    return roots


def _pg_env(db: dict) -> tuple[list[str], dict]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args, env


def _dump_database(workdir: Path, method: str, using: str, log) -> tuple[str, str]:
    """Write the database into workdir/database; return (method, file name)."""
    connection = connections[using]
    target = workdir / "database"
    target.mkdir()
    vendor = connection.vendor
    if method == "auto":
        method = {"sqlite": "sqlite", "postgresql": "pgdump"}.get(vendor, "dumpdata")
        if method == "pgdump" and not shutil.which("pg_dump"):
            log("pg_dump not found: falling back to dumpdata")
            method = "dumpdata"
    if method == "sqlite":
        if vendor != "sqlite":
            raise BackupError("method sqlite needs a SQLite database")
        connection.ensure_connection()
        destination = sqlite3.connect(target / "db.sqlite3")
        with destination:
            connection.connection.backup(destination)
        destination.close()
        return method, "db.sqlite3"
    if method == "pgdump":
        if vendor != "postgresql":
            raise BackupError("method pgdump needs a PostgreSQL database")
        db = connection.settings_dict
        args, env = _pg_env(db)
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
             "--file", str(target / "db.pgdump"), db["NAME"]],
            env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode == 0:
            return method, "db.pgdump"
        log(f"pg_dump failed ({result.stderr.strip()[:300]}): falling back to dumpdata")
        (target / "db.pgdump").unlink(missing_ok=True)
        method = "dumpdata"
    if method == "dumpdata":
        with open(target / "data.json", "w", encoding="utf-8") as handle:
            # Primary keys, not natural keys: natural foreign keys make dumpdata fetch every related
            # row and fail on rows Wagtail deliberately leaves dangling (log entries of deleted pages).
            call_command("dumpdata", "--all", exclude=DUMPDATA_EXCLUDE, database=using, stdout=handle,
                         verbosity=0)
        return method, "data.json"
    raise BackupError(f"unknown method {method!r}")


def create_backup(output: Path, *, method: str = "auto", using: str = DEFAULT_DB_ALIAS, log=print) -> dict:
    """Write the archive to `output`; return the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as tmp:
        workdir = Path(tmp)
        with transaction.atomic(using=using):
            counts = model_counts(using)
        used_method, db_file = _dump_database(workdir, method, using, log)
        files = {}
        db_path = workdir / "database" / db_file
        files[f"database/{db_file}"] = {"sha256": sha256_file(db_path), "size": db_path.stat().st_size}
        roots = file_roots()
        for prefix, root in roots.items():
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                arcname = f"{prefix}/{path.relative_to(root).as_posix()}"
                files[arcname] = {"sha256": sha256_file(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": {
                "python": platform.python_version(),
                "django": django.get_version(),
                "wagtail": wagtail.__version__,
                "portal_commit": _git_commit(),
            },
            "database": {"vendor": connections[using].vendor, "method": used_method, "file": f"database/{db_file}"},
            "file_roots": sorted(roots),
            "counts": counts,
            "files": files,
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_path, arcname=f"database/{db_file}")
            for arcname in files:
                prefix, _sep, rest = arcname.partition("/")
                if prefix in roots:
                    tar.add(roots[prefix] / rest, arcname=arcname)
        partial.replace(output)
        output.chmod(0o600)
    return manifest


def _safe_member(member: tarfile.TarInfo, allowed_prefixes: set[str]) -> bool:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not member.isfile():
        return False
    return path.parts[0] in allowed_prefixes or member.name == "manifest.json"


def read_manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as tar:
        try:
            handle = tar.extractfile("manifest.json")
        except KeyError as exc:
            raise BackupError("not a portal backup: manifest.json missing") from exc
        return json.load(handle)


def restore_backup(path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS, log=print) -> dict:
    """Restore database and files from an archive; return {"manifest", "counts", "differences"}."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
    connection = connections[using]
    method = manifest["database"]["method"]
    if method == "sqlite" and connection.vendor != "sqlite":
        raise BackupError("this backup holds a SQLite database; restore it into SQLite (or back up with --method dumpdata)")
    if method == "pgdump" and connection.vendor != "postgresql":
        raise BackupError("this backup holds a PostgreSQL dump; restore it into PostgreSQL")
    if not force and database_has_data(using):
        raise BackupError("the database is not empty; use --force to overwrite it")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as tmp:
        workdir = Path(tmp)
        allowed = {"database", "media", "private"}
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                if not _safe_member(member, allowed):
                    raise BackupError(f"unsafe archive member {member.name!r}")
            tar.extractall(workdir, filter="data")
        for arcname, meta in manifest["files"].items():
            extracted = workdir / arcname
            if not extracted.is_file() or sha256_file(extracted) != meta["sha256"]:
                raise BackupError(f"checksum mismatch for {arcname}")
        db_file = workdir / manifest["database"]["file"]
        if method == "sqlite":
            _restore_sqlite(db_file, connection)
        elif method == "pgdump":
            _restore_pgdump(db_file, connection)
        else:
            _restore_dumpdata(db_file, using)
        roots = file_roots()
        for prefix in manifest.get("file_roots", []):
            source = workdir / prefix
            if prefix not in roots:
                log(f"{prefix}: storage is not on this disk here, files not restored")
                continue
            if source.is_dir():
                roots[prefix].mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, roots[prefix], dirs_exist_ok=True)
    from .cache import invalidate_public_pages

    invalidate_public_pages()
    counts = model_counts(using)
    differences = {
        label: (expected, counts.get(label))
        for label, expected in manifest["counts"].items()
        if counts.get(label) != expected and not _rebuilt(label)
    }
    return {"manifest": manifest, "counts": counts, "differences": differences}


def _rebuilt(label: str) -> bool:
    """Indexes that restore rebuilds rather than copies (their counts may differ)."""
    return label.startswith("wagtailsearch.") or label == "wagtailcore.ReferenceIndex"


def _restore_sqlite(db_file: Path, connection) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_pgdump(db_file: Path, connection) -> None:
    db = connection.settings_dict
    args, env = _pg_env(db)
    connection.close()
    result = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", *args,
         "--dbname", db["NAME"], str(db_file)],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")


def _restore_dumpdata(db_file: Path, using: str) -> None:
    call_command("migrate", database=using, interactive=False, verbosity=0)
    with transaction.atomic(using=using):
        # Empty every table without re-creating content types/permissions (post_migrate), then load the
        # dump with its primary keys (loaddata resets the sequences on PostgreSQL).
        call_command("flush", database=using, interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(db_file), database=using, verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    call_command("update_index", verbosity=0)
