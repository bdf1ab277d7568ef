"""docs/access.md and the code's permission table say the same thing."""

from __future__ import annotations

from pathlib import Path

from safer.accounts.enums import Role
from safer.accounts.models import User
from safer.accounts.permissions import ROLE_PERMISSIONS, Permission, has_permission
from safer.test import persona

ACCESS_DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def _documented_table() -> dict[str, set[str]]:
    lines = ACCESS_DOC.read_text(encoding="utf-8").split("## Role permissions", 1)[1].splitlines()
    rows = [line for line in lines if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        table[cells[0]] = {role for role, cell in zip(header[1:], cells[1:], strict=True) if cell}
    return table


def test_the_documented_table_is_the_code() -> None:
    documented = _documented_table()
    in_code = {p.value: {r.value for r in roles} for p, roles in ROLE_PERMISSIONS.items()}
    assert documented == in_code
    assert set(ROLE_PERMISSIONS) == set(Permission)
    header_roles = ACCESS_DOC.read_text(encoding="utf-8").split("| permission |", 1)[1]
    assert all(role.value in header_roles.splitlines()[0] for role in Role)


def test_a_case_worker_may_read_but_not_submit(alice: User) -> None:
    assert has_permission(alice, Permission.VIEW_AGREEMENT)
    assert not has_permission(alice, Permission.SUBMIT_PERFORMANCE)


def test_an_analyst_may_review(lancashire: None) -> None:
    diana = persona("diana")
    assert has_permission(diana, Permission.REVIEW_PERFORMANCE)
    assert not has_permission(diana, Permission.MANAGE_USERS)
