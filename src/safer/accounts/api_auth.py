"""Who is calling the REST API: an organisation's token, or a signed-in user's session.

A token (`Authorization: Bearer safer_...`) authenticates as its service user (see
`ApiToken`); a revoked or unknown token is refused with 401 and says so. A browser session is
accepted too (the API docs page's "Try it out"), but only once the user has passed the second
factor their role needs, and with Django's CSRF check on every change.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request

from safer.accounts.actions import do_note_api_token_use
from safer.accounts.models import ApiToken, User
from safer.accounts.permissions import needs_two_factor

KEYWORD = "Bearer"


class OrganisationTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        secret = secret.strip()
        if not secret or " " in secret:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>'."
            )
        token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(token_hash=ApiToken.hash_secret(secret))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("This API token is not known.")
        if not token.is_live or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This API token has been revoked.")
        do_note_api_token_use(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session, only after the second factor its user's role requires."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = request._request.user
        if needs_two_factor(user) and not getattr(user, "is_verified", lambda: False)():
            return None
        return result


class OrganisationTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "safer.accounts.api_auth.OrganisationTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token issued to your organisation (Security, API tokens).",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "safer.accounts.api_auth.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
