from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safer.accounts.models import SharingAgreement, User
from safer.incidents.models import Incident, Person
from safer.test import (
    alices_case,
    lancashire_sharing_agreement,
    load_lancashire,
    persona,
    sign_in,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def lancashire(db: None) -> None:
    """The Safer Lancashire agreement, loaded as `make run` loads it."""
    load_lancashire()


@pytest.fixture
def alice(lancashire: None) -> User:
    return persona("alice")


@pytest.fixture
def charlie(lancashire: None) -> User:
    return persona("charlie")


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    sign_in(client, "alice")
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing is slow on purpose; tests sign in dozens of times and need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bob(lancashire: None) -> User:
    return persona("bob")


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    sign_in(client, "bob")
    return client


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    client = Client()
    sign_in(client, "charlie")
    return client


@pytest.fixture
def sharing_agreement(lancashire: None) -> SharingAgreement:
    return lancashire_sharing_agreement()


@pytest.fixture
def alices_records(alice: User) -> tuple[Person, Incident]:
    return alices_case(alice)


@pytest.fixture
def tasks_at_once(settings: Any) -> None:
    """Run background tasks (matching a person just recorded, building a pack) in the test
    itself; production queues them for `safer db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
