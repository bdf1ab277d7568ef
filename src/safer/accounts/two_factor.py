"""Two-factor sign-in: an authenticator app (TOTP) and single-use recovery codes.

Built on django-otp: a `TOTPDevice` per user for the app, a `StaticDevice` holding ten recovery
codes, each usable once. Replayed codes are refused (django-otp remembers the last time step
used) and repeated wrong codes slow down (its throttling).
"""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safer.accounts.models import User

RECOVERY_CODES = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


def authenticator(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


def has_authenticator(user: User) -> bool:
    return authenticator(user) is not None


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, no padding."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_code_svg(uri: str) -> SafeString:
    """The otpauth link as an inline SVG QR code, drawn here so the key never leaves Safer."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#0b0c0c", light="#ffffff")
    labelled = svg.replace("<svg ", '<svg role="img" aria-label="QR code of your key" ', 1)
    return mark_safe(labelled)  # noqa: S308 - drawn by segno from our own otpauth URI


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def do_start_authenticator(user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to add to their app (reused until confirmed)."""
    device = authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


@transaction.atomic
def do_confirm_authenticator(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows; return fresh recovery codes, or None if wrong."""
    if not device.verify_token(code.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, name=AUTHENTICATOR).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return do_make_recovery_codes(device.user)


@transaction.atomic
def do_make_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones (shown once, stored as given)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def check_code(user: User, code: str) -> Device | None:
    """The device that accepts `code` (an app code or an unused recovery code), if any."""
    code = code.strip().replace(" ", "").lower()
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        with transaction.atomic():
            if device.verify_token(code):
                return device
    return None


def throttled(user: User) -> bool:
    """Whether the app refuses codes for now after repeated wrong ones (django-otp throttling)."""
    device = authenticator(user)
    return (
        device is not None
        and device.throttling_failure_count >= 3
        and not device.verify_is_allowed()[0]
    )


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count())
