import io
import json
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.roles import Role
from portal.core.backup import model_counts, read_manifest
from portal.core.uploads import private_storage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRIVATE_BYTES = "%PDF-1.4 营业执照副本".encode()
MEDIA_BYTES = b"\x89PNG fake image bytes"


@pytest.fixture
def populated(home_page, make_user, make_organisation):
    from portal.core.models import StandardPage

    firm_user = make_user(email="firm@example.com", name="甲公司")
    make_user(Role.SECRETARIAT, email="sec@example.com")
    make_organisation(users=[firm_user], name="甲信用科技有限公司")
    page = home_page.add_child(instance=StandardPage(title="协会章程", slug="charter", body="<p>第一条</p>"))
    page.save_revision().publish()
    private_name = private_storage.save("members/licence/2026/backup-test.pdf", ContentFile(PRIVATE_BYTES))
    media_name = default_storage.save("images/backup-test.png", ContentFile(MEDIA_BYTES))
    yield {"private": private_name, "media": media_name}
    for storage, name in ((private_storage, private_name), (default_storage, media_name)):
        if storage.exists(name):
            storage.delete(name)


def _wreck(names):
    """Change the data after the backup so the restore has something to undo."""
    from wagtail.models import Page

    User = get_user_model()
    User.objects.filter(email="firm@example.com").delete()
    User.objects.create_user(username="intruder", email="intruder@example.com", password="x")
    Page.objects.get(slug="charter").delete()
    private_storage.delete(names["private"])
    with default_storage.open(names["media"], "wb") as handle:
        handle.write(b"overwritten")


@pytest.mark.parametrize("method", ["auto", "dumpdata"])
def test_backup_and_restore_round_trip(populated, tmp_path, method):
    archive = tmp_path / "portal.tar.gz"
    before = model_counts()
    call_command("backup", "--output", str(archive), "--method", method, stdout=io.StringIO())
    manifest = read_manifest(archive)
    from django.db import connection

    native = {"sqlite": "sqlite", "postgresql": "pgdump"}[connection.vendor]
    assert manifest["database"]["method"] == (native if method == "auto" else "dumpdata")
    assert manifest["counts"] == before
    assert manifest["counts"]["accounts.User"] == 2
    assert manifest["counts"]["organisations.Organisation"] == 1
    assert f"private/{populated['private']}" in manifest["files"]
    assert f"media/{populated['media']}" in manifest["files"]
    assert set(manifest["versions"]) == {"python", "django", "wagtail", "portal_commit"}

    _wreck(populated)
    assert model_counts()["accounts.User"] == 2  # one deleted, one added: counts alone would not notice
    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert out.getvalue().startswith("restored ")

    after = model_counts()
    ignored = {"wagtailsearch.IndexEntry", "wagtailsearch.SQLiteFTSIndexEntry", "wagtailcore.ReferenceIndex"}
    assert {k: v for k, v in after.items() if k not in ignored} == {
        k: v for k, v in before.items() if k not in ignored
    }
    User = get_user_model()
    assert set(User.objects.values_list("email", flat=True)) == {"firm@example.com", "sec@example.com"}
    firm_user = User.objects.get(email="firm@example.com")
    assert firm_user.check_password("correct-horse-42")
    from portal.organisations.models import Organisation

    assert Organisation.objects.get().name == "甲信用科技有限公司"
    from wagtail.models import Page

    charter = Page.objects.get(slug="charter").specific
    assert charter.live and charter.body == "<p>第一条</p>"
    assert str(Role.SECRETARIAT) in User.objects.get(email="sec@example.com").role_names
    with private_storage.open(populated["private"]) as handle:
        assert handle.read() == PRIVATE_BYTES
    with default_storage.open(populated["media"]) as handle:
        assert handle.read() == MEDIA_BYTES


def test_restore_refuses_non_empty_database_without_force(populated, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_into_empty_database_needs_no_force(populated, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    get_user_model().objects.all().delete()
    call_command("restore", str(archive), stdout=io.StringIO())
    assert get_user_model().objects.count() == 2


def _rewrite(archive, target, change):
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            member, data = change(member, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_restore_refuses_tampered_file(populated, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())

    def tamper(member, data):
        return member, (b"tampered" if member.name.startswith("private/") else data)

    _rewrite(archive, tmp_path / "bad.tar.gz", tamper)
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(tmp_path / "bad.tar.gz"), "--force", stdout=io.StringIO())


def test_restore_refuses_path_traversal(populated, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())

    def escape(member, data):
        if member.name.startswith("media/"):
            member.name = "media/../../escape.txt"
        return member, data

    _rewrite(archive, tmp_path / "evil.tar.gz", escape)
    with pytest.raises(CommandError, match="unsafe archive member"):
        call_command("restore", str(tmp_path / "evil.tar.gz"), "--force", stdout=io.StringIO())


def test_restore_refuses_non_backup(tmp_path, db):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        data = json.dumps({"x": 1}).encode()
        info = tarfile.TarInfo("other.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="manifest.json missing"):
        call_command("restore", str(bogus), stdout=io.StringIO())


def test_archive_is_private_to_the_owner(populated, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    assert archive.stat().st_mode & 0o777 == 0o600
