"""Issue #12.11: request bodies are bounded, and refused before they are read."""

import runpy
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.core.request_limits import RequestSizeLimitMiddleware

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


class ExplodingInput:
    """A wsgi.input that fails the test if anything reads the body."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        raise AssertionError("the request body was read")

    readline = read

    def __iter__(self):
        raise AssertionError("the request body was read")


def _huge_post(client, path, size=60 * MB, **extra):
    # (with an empty `data` the test client sets neither CONTENT_TYPE nor CONTENT_LENGTH itself)
    return client.generic("POST", path, b"", **{
        "wsgi.input": ExplodingInput(), "CONTENT_LENGTH": str(size),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz", **extra,
    })


def test_anonymous_60_mb_body_is_refused_unread(client, db):
    response = _huge_post(client, reverse("account_signup"))
    assert response.status_code == 413
    assert "请求过大" in response.content.decode()


def test_logged_in_60_mb_upload_is_refused_unread(client_for, firm_a_user):
    response = _huge_post(client_for(firm_a_user), reverse("showcase:apply"))
    assert response.status_code == 413


def test_body_without_length_is_refused(client, db):
    response = client.generic("POST", "/accounts/login/", b"", **{
        "wsgi.input": ExplodingInput(), "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_TYPE": "application/x-www-form-urlencoded"})
    assert response.status_code == 411


def _middleware_answer(*, length: int, authenticated: bool, settings) -> int:
    request = RequestFactory().generic("POST", "/x/", b"", **{
        "wsgi.input": ExplodingInput(), "CONTENT_LENGTH": str(length), "CONTENT_TYPE": "application/octet-stream"})
    request.user = type("U", (), {"is_authenticated": authenticated})()
    return RequestSizeLimitMiddleware(lambda r: HttpResponse("ok"))(request).status_code


def test_limits_leave_room_for_the_largest_forms(settings):
    # an anonymous objection with a 10 MB piece of evidence; a membership application with two files
    assert _middleware_answer(length=settings.UPLOAD_MAX_BYTES + 500_000, authenticated=False, settings=settings) == 200
    assert _middleware_answer(length=2 * settings.UPLOAD_MAX_BYTES + 500_000, authenticated=True,
                              settings=settings) == 200
    assert _middleware_answer(length=settings.PORTAL_MAX_ANONYMOUS_REQUEST_BYTES + 1, authenticated=False,
                              settings=settings) == 413
    assert _middleware_answer(length=settings.PORTAL_MAX_REQUEST_BYTES + 1, authenticated=True,
                              settings=settings) == 413


def test_malformed_content_length_is_refused(settings):
    request = RequestFactory().generic("POST", "/x/", b"", **{"wsgi.input": ExplodingInput(), "CONTENT_LENGTH": "12abc"})
    request.user = type("U", (), {"is_authenticated": False})()
    assert RequestSizeLimitMiddleware(lambda r: HttpResponse("ok"))(request).status_code == 400


def test_django_upload_settings_are_bounded(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10


def test_gunicorn_limits_request_line_and_headers():
    namespace = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert namespace["limit_request_line"] == 4094
    assert namespace["limit_request_fields"] == 50
    assert namespace["limit_request_field_size"] == 8190
