"""Who gets into the desk and which releases they see; refusals are pages that say why."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from pressroom.releases.models import Release
from pressroom.workflow.permissions import refusal
from pressroom.workflow.roles import roles_of
from pressroom.workflow.rules import VIEW_RULES


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def refused_page(request, reason: str, status: int = 403):
    return render(request, "desk/refused.html", {"reason": reason}, status=status)


def desk_view(view):
    """Signed in, holding a desk role, and any `Refused` turned into a 403 page with the reason."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles_of(request.user):
            return refused_page(
                request, "your account has no role on the desk; ask an administrator"
            )
        try:
            response = view(request, *args, **kwargs)
        except Refused as refused:
            return refused_page(request, refused.reason)
        # Desk pages hold unpublished text: never kept by a browser or a proxy.
        response.headers.setdefault("Cache-Control", "no-store, private")
        return response

    return wrapper


def visible_release(request, pk: int) -> Release:
    release = get_object_or_404(Release.objects.select_related("department"), pk=pk)
    reason = refusal(request.user, VIEW_RULES, release.department_id, f"open {release.reference}")
    if reason:
        raise Refused(reason)
    return release


def may_see_photos(user, release: Release) -> bool:
    """Whether `user` may see the release's photos before they are public: whoever may open
    the release on the desk (the check of `visible_release`), and administrators, whom the
    admin shows every photo (its own permission, media.view_photo)."""
    if refusal(user, VIEW_RULES, release.department_id, "see its photos") is None:
        return True
    return bool(user.is_active and user.is_staff and user.has_perm("media.view_photo"))
