from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from safer.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, do_create_demo_accounts
from safer.accounts.enums import Role
from safer.accounts.models import User
from safer.test import PASSWORD, give_authenticator, sign_in


def test_alice_signs_in_and_lands_on_the_agreement(alice: User, client: Client) -> None:
    give_authenticator(alice)
    response = client.post(
        "/accounts/sign-in/", {"username": "alice", "password": PASSWORD}, follow=True
    )
    # A case worker sees personal data, so the password alone is not enough.
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/?next=%2Fagreement%2F"
    response = sign_in(client, "alice")
    assert response.redirect_chain[-1][0] == "/agreement/"
    assert "Alice Ashworth, Lancashire Constabulary" in response.text


def test_a_wrong_password_is_refused_and_the_username_kept(alice: User, client: Client) -> None:
    response = client.post("/accounts/sign-in/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct username and password" in response.text
    assert 'value="alice"' in response.text
    assert "_auth_user_id" not in client.session


def test_sign_in_returns_to_the_page_asked_for(alice: User, client: Client) -> None:
    response = client.post(
        "/accounts/sign-in/?next=/partnership/areas/",
        {"username": "alice", "password": PASSWORD, "next": "/partnership/areas/"},
    )
    assert response["Location"] == "/partnership/areas/"


def test_sign_out_ends_the_session(alice_client: Client) -> None:
    response = alice_client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert alice_client.get("/agreement/").status_code == 302


@override_settings(SAFER_DEMO=True)
def test_demo_accounts_cover_every_role_and_sign_in(lancashire: None, client: Client) -> None:
    call_command("load_demo", verbosity=0)
    # Every role a person holds; the partner-system role belongs to API tokens' service accounts.
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role) - {Role.PARTNER_SYSTEM}
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.has_role(account.role)
        response = sign_in(client, account.username, DEMO_PASSWORD)
        assert response.redirect_chain[-1][0] == "/agreement/", account.username
        client.post("/accounts/sign-out/")
    assert User.objects.get(username="admin").is_staff


@override_settings(SAFER_DEMO=True)
def test_demo_accounts_are_created_once_and_keep_changed_passwords(lancashire: None) -> None:
    do_create_demo_accounts()
    user = User.objects.get(username="analyst")
    user.set_password("my own better password")
    user.save()
    do_create_demo_accounts()
    assert User.objects.filter(username="analyst").count() == 1
    user.refresh_from_db()
    assert user.check_password("my own better password")


@override_settings(SAFER_DEMO=False)
def test_demo_accounts_are_refused_outside_a_demo(lancashire: None) -> None:
    with pytest.raises(CommandError, match="only created in a local demo"):
        call_command("load_demo")
    assert not User.objects.exists()


@override_settings(SAFER_DEMO=True)
def test_demo_accounts_need_the_agreement_loaded_first(db: None) -> None:
    with pytest.raises(CommandError, match="run `safer load-agreement` first"):
        call_command("load_demo")
    assert not User.objects.exists()


@override_settings(SAFER_DEMO=True)
def test_the_demo_prints_authenticator_keys_and_the_current_code(
    lancashire: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from safer.accounts import two_factor
    from safer.incidents.models import Incident, Person

    call_command("load_demo")
    out = capsys.readouterr().out
    case_worker = User.objects.get(username="case-worker")
    device = two_factor.authenticator(case_worker)
    assert device is not None
    assert f"authenticator key {two_factor.secret_of(device)}" in out
    assert "otpauth://totp/" in out
    call_command("demo_code", "case-worker")
    assert capsys.readouterr().out.strip() == two_factor.current_code(device)
    # Two organisations, each with a person and an incident, and the demo's incidents
    # (SAFER_DEMO_INCIDENTS: 30 in tests), recorded by the same two.
    assert Person.objects.values("organisation").distinct().count() == 2
    # Two cases; Janet Holden has three ASB reports with the council and one with the police,
    # where her name is misspelt (issue 5).
    assert Incident.objects.exclude(agency_reference__startswith="DEMO-").count() == 5
    assert Incident.objects.filter(agency_reference__startswith="DEMO-").count() == 30
    call_command("load_demo", verbosity=0)
    assert Incident.objects.count() == 35  # made once


@override_settings(SAFER_DEMO=True)
def test_demo_codes_are_only_for_demo_accounts(alice: User) -> None:
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "alice")
    with override_settings(SAFER_DEMO=False), pytest.raises(CommandError, match="local demo"):
        call_command("demo_code", "alice")
