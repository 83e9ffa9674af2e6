"""Security headers on every response, throttled log-ins, secure cookies when asked."""

import pytest

from pressroom.conf import read

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/desk/login/", "/admin/login/", "/no-such-page/"])
def test_strict_csp_and_security_headers_everywhere(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    for kind in (
        "script-src",
        "style-src",
        "font-src",
        "connect-src",
    ):  # default-src where not named
        assert directives.get(kind, directives["default-src"]) == "'self'", kind
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_secure_cookies_setting():
    assert read("PRESSROOM_SECURE_COOKIES", {}) is False
    assert read("PRESSROOM_SECURE_COOKIES", {"PRESSROOM_SECURE_COOKIES": "true"}) is True


def test_login_form_has_csrf_and_failed_attempts_lock_out(client, people):
    page = client.get("/desk/login/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    for _ in range(5):
        response = client.post("/desk/login/", {"username": "wanda", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post(
        "/desk/login/", {"username": "wanda", "password": "Sample-desk-pass-2024"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_right_password_signs_in(client, people):
    response = client.post(
        "/desk/login/", {"username": "wanda", "password": "Sample-desk-pass-2024"}
    )
    assert response.status_code == 302 and response["Location"] == "/desk/"


def test_desk_forms_refuse_posts_without_csrf_token(people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["writer"])
    response = strict.post("/desk/new/", {"title_en": "Sample: no token"})
    assert response.status_code == 403
