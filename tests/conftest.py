from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safer.accounts.models import User
from safer.test import PASSWORD, load_lancashire, persona

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
    assert client.login(username="alice", password=PASSWORD)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing is slow on purpose; tests sign in dozens of times and need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
