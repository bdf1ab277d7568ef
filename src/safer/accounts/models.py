"""People who use Safer, the organisation they work for, and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from safer.accounts.enums import Role
from safer.partnership.models import Organisation


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    job_title = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_labels(self) -> list[str]:
        return [Role(grant.role).label for grant in self.role_grants.all()]

    def has_role(self, role: Role) -> bool:
        return any(grant.role == role for grant in self.role_grants.all())


class RoleGrant(models.Model):
    """One role a user holds; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"
