"""System checks: private uploads must never be reachable under a public URL."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


def _inside(child: Path, parent: Path) -> bool:
    child, parent = Path(child).resolve(), Path(parent).resolve()
    return child == parent or parent in child.parents or child in parent.parents


@register(Tags.security, deploy=False)
def check_private_storage(app_configs=None, **kwargs):
    errors = []
    private = settings.STORAGES.get("private", {})
    backend = private.get("BACKEND", "")
    options = private.get("OPTIONS", {})
    if backend.endswith("FileSystemStorage"):
        if backend != "portal.core.uploads.PrivateFileSystemStorage":
            errors.append(
                Error("The private storage must be portal.core.uploads.PrivateFileSystemStorage (no URLs).",
                      hint="Plain FileSystemStorage falls back to MEDIA_URL for its URLs.", id="portal.E005")
            )
        location = Path(options.get("location") or settings.PRIVATE_MEDIA_ROOT)
        for name in ("MEDIA_ROOT", "STATIC_ROOT"):
            public = getattr(settings, name, None)
            if public and _inside(location, Path(public)):
                errors.append(
                    Error(
                        f"The private storage ({location}) overlaps {name} ({public}).",
                        hint="Keep PRIVATE_MEDIA_ROOT outside every publicly served directory.",
                        id="portal.E001",
                    )
                )
        if options.get("base_url"):
            errors.append(
                Error("The private storage must not have a base_url.", hint="Set OPTIONS['base_url'] = None.",
                      id="portal.E002")
            )
    elif backend.endswith("S3Storage"):
        default_options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
        if options.get("location", "") == default_options.get("location", ""):
            errors.append(Error("The private S3 location equals the public media location.", id="portal.E003"))
        if not options.get("querystring_auth", True) or options.get("default_acl") == "public-read":
            errors.append(
                Error("Private S3 files must not be public (querystring_auth on, no public-read ACL).",
                      id="portal.E004")
            )
    return errors
