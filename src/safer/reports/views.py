"""Board pack pages (signed in; building and publishing need permissions) and the public report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission, require_permission
from safer.reports import actions, public
from safer.reports.forms import BuildForm
from safer.reports.models import BoardPack
from safer.reports.renderers import FORMATS
from safer.reports.renderers.html import sections
from safer.strategy.models import Agreement, ChangeRecord


def _user(request: HttpRequest, permission: Permission) -> User:
    user = request.user
    if not isinstance(user, User):  # LoginRequiredMiddleware has run: this is a signed-in user
        raise PermissionDenied
    require_permission(user, permission)
    return user


def pack_list(request: HttpRequest) -> HttpResponse:
    user = _user(request, Permission.VIEW_AGREEMENT)
    agreement = Agreement.objects.current()
    may_build = has_permission(user, Permission.BUILD_BOARD_PACK)
    form = BuildForm(request.POST or None, agreement=agreement)
    if request.method == "POST":
        _user(request, Permission.BUILD_BOARD_PACK)
        if form.is_valid():
            try:
                pack = actions.do_request_board_pack(
                    agreement,
                    form.cleaned_data["quarter"],
                    area=form.cleaned_data["area"],
                    acting_user=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(pack)
    packs = BoardPack.objects.filter(agreement=agreement).select_related("area", "requested_by")
    return render(
        request,
        "reports/pack_list.html",
        {"form": form, "packs": packs, "may_build": may_build, "agreement": agreement},
    )


def _pack(request: HttpRequest, pk: int) -> BoardPack:
    _user(request, Permission.VIEW_AGREEMENT)
    return get_object_or_404(
        BoardPack.objects.select_related("area", "agreement", "requested_by", "published_by"),
        pk=pk,
    )


def _corrections_since(pack: BoardPack) -> int:
    """Values corrected after this version was built: a reason to build the next version."""
    if pack.built_at is None:
        return 0
    return ChangeRecord.objects.filter(
        record_type="strategy.measurevalue", at__gt=pack.built_at
    ).count()


def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack(request, pk)
    return render(
        request,
        "reports/pack_detail.html",
        {
            "pack": pack,
            "formats": FORMATS.values(),
            "may_publish": has_permission(request.user, Permission.PUBLISH_BOARD_PACK),
            "may_build": has_permission(request.user, Permission.BUILD_BOARD_PACK),
            "corrections": _corrections_since(pack),
        },
    )


def pack_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, which htmx polls until the build has finished."""
    pack = _pack(request, pk)
    return render(
        request, "reports/partials/progress.html", {"pack": pack, "formats": FORMATS.values()}
    )


def pack_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack as a page in Safer, from the content stored when it was built."""
    pack = _pack(request, pk)
    content = pack.pack_content()
    if content is None:
        raise Http404(f"{pack} is not built yet.")
    return render(
        request,
        "reports/pack_page.html",
        {"board_pack": pack, "pack": content, "sections": sections(content)},
    )


def pack_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    pack = _pack(request, pk)
    stored = pack.files_by_format().get(fmt)
    if stored is None or fmt not in FORMATS:
        raise Http404(f"{pack} has no {fmt} file.")
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.file.name.rsplit("/", 1)[-1],
        content_type=FORMATS[fmt].content_type,
    )


@require_POST
def pack_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack(request, pk)
    user = _user(request, Permission.PUBLISH_BOARD_PACK)
    try:
        actions.do_publish_board_pack(pack, acting_user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{pack} is published: it is frozen from now on.")
    return redirect(pack)


@login_not_required
def public_report(request: HttpRequest) -> HttpResponse:
    report = public.latest_public_report()
    return render(
        request,
        "reports/public_report.html",
        {"report": report, "content": report.content, "formats": public.FORMATS},
    )


@login_not_required
def public_file(request: HttpRequest, name: str) -> HttpResponse:
    if name not in public.FORMATS:
        raise Http404(f"There is no public format {name!r}.")
    report = public.latest_public_report()
    content_type = public.FORMATS[name][0]
    response = HttpResponse(public.generated(report, name), content_type=content_type)
    if not name.endswith(".txt"):
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
