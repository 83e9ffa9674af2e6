"""Previews before publication: the public page and the wire text exactly as readers will get
them, for the desk and, through a shared link, for someone outside it."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pressroom.desk.access import desk_view, visible_release
from pressroom.desk.models import PreviewLink
from pressroom.desk.previews import DEFAULT_HOURS, create_link, find_active, revoke
from pressroom.media.links import desk_url, preview_url
from pressroom.releases.addresses import day_url
from pressroom.releases.languages import Language, from_url_slug
from pressroom.releases.models import Release
from pressroom.site import dates
from pressroom.site.page import page_context
from pressroom.workflow.errors import WorkflowError


def _language(slug: str) -> Language:
    language = from_url_slug(slug.lower())
    if language is None:
        raise Http404("no such language")
    return language


def _as_issued(release: Release) -> Release:
    """A release without an issue instant yet is previewed as if issued now (in memory only)."""
    if release.issue_instant is None:
        release.issue_instant = timezone.now()
    return release


def _photos(release: Release, language: str, photo_url) -> list[dict]:
    """The photos as the public page shows them, at `photo_url(photo, rendition)`: the desk's
    route or the preview link's (the public one would not send them before the instant)."""
    photos = []
    for photo in release.photos.all():
        text = photo.text(language)
        photos.append({
            "photo": photo,
            "display_url": photo_url(photo, "page"),
            "larger_url": photo_url(photo, None),
            "caption": text.caption if text else "",
            "alt_text": (text.alt_text or text.caption) if text else "",
        })  # fmt: skip
    return photos


def render_release_page(
    request,
    release: Release,
    language: Language,
    alternates: dict,
    banner: str,
    photo_url,
    wire_link: str = "#",
):
    release = _as_issued(release)
    version = release.version(language)
    if version is None:
        raise Http404(f"{release.reference} has no {language.label} version yet")
    context = {
        **page_context(request, language),
        "release": release,
        "version": version,
        "alternates": alternates,
        "photos": _photos(release, language, photo_url),
        "ends_line": dates.ends_line(release.issue_date, language),
        "issued_line": dates.issued_line(release.issue_instant, language)
        if release.issue_time_stated
        else "",
        "day_link": day_url(language, release.issue_date),
        "wire_link": wire_link,
        "department_name": release.department.name(language) if release.department else "",
        "category_names": [category.name(language) for category in release.categories.all()],
        "corrected_label": dates.local_datetime(release.corrected_at, language)
        if release.corrected_at
        else "",
        "withdrawn_label": dates.local_datetime(release.withdrawn_at, language)
        if release.withdrawn_at
        else "",
        "preview_banner": banner,
    }
    response = render(request, "desk/preview.html", context)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store, private"
    return response


def _loaded(pk: int) -> Release:
    return (
        Release.objects.select_related("department")
        .prefetch_related("versions", "photos__texts", "categories")
        .get(pk=pk)
    )


@desk_view
def preview_page(request, pk: int, language: str):
    release = _loaded(visible_release(request, pk).pk)
    lang = _language(language)
    alternates = {
        Language(code): reverse("desk:preview", kwargs={"pk": pk, "language": code.lower()})
        for code in release.languages()
    }
    wire_link = reverse("desk:preview-wire", kwargs={"pk": pk, "language": lang.value.lower()})
    banner = "Desk preview: not public" + (
        "" if release.is_public() else " until it is published at its issue time"
    )
    return render_release_page(request, release, lang, alternates, banner, desk_url, wire_link)


@desk_view
def preview_wire(request, pk: int, language: str):
    from pressroom.releases.wire_text import MissingLanguageError, wire_text

    release = _as_issued(_loaded(visible_release(request, pk).pk))
    try:
        text = wire_text(release, _language(language))
    except MissingLanguageError as error:
        raise Http404(str(error)) from None
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@desk_view
@require_POST
def share(request, pk: int):
    release = visible_release(request, pk)
    try:
        hours = int(request.POST.get("hours") or DEFAULT_HOURS)
    except ValueError:
        hours = 0  # not a whole number of hours: refused below, with the range
    try:
        _, token = create_link(release, request.user, hours)
    except WorkflowError as error:
        messages.error(request, f"No link made: {error}")
    else:
        url = request.build_absolute_uri(reverse("desk:shared", kwargs={"token": token}))
        messages.success(request, f"Preview link (shown once, copy it now): {url}")
    return redirect(reverse("desk:release", kwargs={"pk": release.pk}) + "#share")


@desk_view
@require_POST
def revoke_link(request, pk: int, link_id: int):
    release = visible_release(request, pk)
    link = get_object_or_404(PreviewLink, pk=link_id, release=release)
    try:
        revoke(link, request.user)
    except WorkflowError as error:
        messages.error(request, f"Not revoked: {error}")
    else:
        messages.success(request, "Preview link revoked: it no longer opens.")
    return redirect(reverse("desk:release", kwargs={"pk": release.pk}) + "#share")


def shared_preview(request, token: str):
    """No sign-in: the token is the permission. Unknown, expired and revoked look the same."""
    link = find_active(token)
    if link is None:
        response = render(request, "desk/preview_gone.html", status=404)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
    release = _loaded(link.release_id)
    lang = _language(request.GET.get("lang", release.default_language()))
    base = reverse("desk:shared", kwargs={"token": token})
    alternates = {Language(code): f"{base}?lang={code.lower()}" for code in release.languages()}
    expires = timezone.localtime(link.expires_at)
    banner = f"Preview shared by the press office: not public. This link works until {expires:%Y-%m-%d %H:%M} HKT."
    return render_release_page(
        request, release, lang, alternates, banner, functools.partial(preview_url, token)
    )
