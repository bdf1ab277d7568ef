"""Session rules every request passes through: idle timeout and the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from safer.accounts.permissions import needs_two_factor

LAST_SEEN = "safer_last_seen"


class IdleTimeoutMiddleware:
    """Sign a user out after SAFER_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.SAFER_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "You were signed out because you were inactive.")
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
            request.session[LAST_SEEN] = now
        return self.get_response(request)


def two_factor_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view a signed-in user may reach before their second factor (setting it up)."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


class RequireTwoFactorMiddleware:
    """Send a user whose role reaches personal data to the second factor before anything else.

    Public pages (`login_not_required`) and the second-factor pages themselves stay open.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or cast(Any, user).is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        if not needs_two_factor(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:two-factor')}?{query}")


class PrivatePagesMiddleware:
    """Headers Django does not set: no browser features Safer does not use, and pages for a
    signed-in user are never stored by a browser or proxy (a shared computer must not keep a
    copy of someone's record)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        if request.user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
        return response
