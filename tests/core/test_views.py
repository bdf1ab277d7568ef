from __future__ import annotations

import pytest
from django.test import Client


def test_the_landing_page_is_public_and_names_the_agreement(
    lancashire: None, client: Client
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Safer Lancashire Board" in response.text
    assert "Reduce alcohol and drug misuse" in response.text
    assert 'href="/accounts/sign-in/"' in response.text


def test_the_landing_page_works_before_anything_is_loaded(db: None, client: Client) -> None:
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/agreement/",
        "/agreement/text/",
        "/agreement/themes/reduce-reoffending/",
        "/agreement/linked-plans/",
        "/partnership/board/",
        "/partnership/organisations/",
        "/partnership/organisations/lancashire-constabulary/",
        "/partnership/areas/",
    ],
)
def test_every_other_page_needs_sign_in(url: str, lancashire: None, client: Client) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=")


def test_the_health_check_answers_a_load_balancer(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}


def test_an_unknown_page_is_a_friendly_404(alice_client: Client) -> None:
    response = alice_client.get("/agreement/themes/no-such-theme/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_pages_say_so_when_no_agreement_is_loaded(db: None, client: Client) -> None:
    from safer.partnership.models import Organisation
    from safer.test import (
        persona,
        sign_in,
    )  # the persona needs an organisation; load one agreement-free

    Organisation.objects.create(
        slug="lancashire-constabulary",
        name="Lancashire Constabulary",
        kind="statutory",
        sector="police",
    )
    persona("alice")
    sign_in(client, "alice")
    response = client.get("/agreement/")
    assert response.status_code == 404
    assert "safer load-agreement" in response.text
