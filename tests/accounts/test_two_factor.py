"""Sign-in security: the second factor, recovery codes, lockout, idle timeout, sign out
everywhere and the security headers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safer.accounts import two_factor
from safer.accounts.models import User
from safer.test import PASSWORD, give_authenticator, persona, sign_in


def _password_only(client: Client, username: str = "alice") -> None:
    client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})


def test_a_case_worker_cannot_reach_anything_without_the_second_factor(
    alice: User, client: Client
) -> None:
    give_authenticator(alice)
    _password_only(client)
    for url in ("/incidents/", "/agreement/", "/incidents/people/", "/accounts/security/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_a_first_sign_in_sets_up_the_app_and_gives_recovery_codes(
    alice: User, client: Client
) -> None:
    _password_only(client)
    response = client.get("/accounts/two-factor/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/set-up/")
    secret = re.search(r'<code class="safer-secret">([A-Z2-7]+)</code>', response.text)
    assert secret is not None
    assert "otpauth://totp/" in response.text
    device = two_factor.authenticator(alice, confirmed=False)
    assert device is not None
    # The QR code on the page is this device's key, drawn inline (no image leaves Safer).
    assert 'role="img" aria-label="QR code of your key"' in response.text
    assert str(two_factor.qr_code_svg(device.config_url)) in response.text
    response = client.post("/accounts/two-factor/set-up/", {"code": "000000", "next": "/"})
    assert "That code is not right" in response.text
    assert two_factor.secret_of(device) == secret[1]
    # A wrong code makes the next try wait a moment (django-otp's throttling).
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        response = client.post(
            "/accounts/two-factor/set-up/",
            {"code": two_factor.current_code(device), "next": "/incidents/"},
        )
        assert "Your recovery codes" in response.text
        assert two_factor.recovery_codes_left(alice) == 10
        assert client.get("/incidents/").status_code == 200


def test_a_wrong_or_replayed_code_is_refused(alice: User, client: Client) -> None:
    device = give_authenticator(alice)
    _password_only(client)
    response = client.post("/accounts/two-factor/", {"code": "123456"})
    assert "That code is not right" in response.text
    # After several wrong codes, each try must wait longer (django-otp's throttling).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    response = client.post("/accounts/two-factor/", {"code": two_factor.current_code(device)})
    assert "Too many wrong codes: wait a minute" in response.text
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    code = two_factor.current_code(device)
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    other = Client()
    _password_only(other)
    response = other.post("/accounts/two-factor/", {"code": code})
    assert "has been used" in response.text


def test_a_recovery_code_works_once(alice: User, client: Client) -> None:
    device = give_authenticator(alice)
    codes = two_factor.do_make_recovery_codes(alice)
    assert device.confirmed
    _password_only(client)
    response = client.post("/accounts/two-factor/", {"code": codes[0]}, follow=True)
    assert response.redirect_chain[-1][0] == "/agreement/"
    assert "9 left" in response.text
    again = Client()
    _password_only(again)
    assert "not right" in again.post("/accounts/two-factor/", {"code": codes[0]}).text


def test_an_analyst_who_sees_only_counts_needs_no_second_factor(lancashire: None) -> None:
    persona("diana")
    client = Client()
    response = sign_in(client, "diana")
    assert response.redirect_chain[-1][0] == "/agreement/"
    assert client.get("/incidents/counts/").status_code == 200
    assert client.get("/incidents/people/").status_code == 404


def test_repeated_wrong_passwords_lock_the_account_out(alice: User, client: Client) -> None:
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": "alice", "password": "wrong guess"})
    response = client.post("/accounts/sign-in/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in locked" in response.text
    assert "_auth_user_id" not in client.session


def test_an_idle_session_ends(alice_client: Client) -> None:
    assert alice_client.get("/incidents/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = alice_client.get("/incidents/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
        assert "_auth_user_id" not in alice_client.session


def test_a_session_in_use_stays(alice_client: Client) -> None:
    start = timezone.now()
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert alice_client.get("/incidents/").status_code == 200


def test_sign_out_everywhere_ends_every_session(alice: User) -> None:
    laptop, phone = Client(), Client()
    sign_in(laptop, "alice")
    sign_in(phone, "alice")
    assert phone.get("/incidents/").status_code == 200
    response = laptop.post("/accounts/sign-out-everywhere/", follow=True)
    assert "You are signed out on every device" in response.text
    assert phone.get("/incidents/").status_code == 302
    assert laptop.get("/incidents/").status_code == 302


def test_pages_carry_a_content_security_policy(alice_client: Client) -> None:
    response = alice_client.get("/incidents/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"  # no copy left on a shared computer
    assert "camera=()" in response["Permissions-Policy"]


def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    from django.contrib.auth.hashers import make_password

    from safer import settings as configured  # tests swap in a fast hasher; production does not

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    assert make_password("correct horse battery staple").startswith("argon2$")
