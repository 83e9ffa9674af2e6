"""Reading on the desk: the queue and schedule, the release list with search and filters,
revision history with differences, and the audit log (per release and overall)."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from pressroom.desk.access import desk_view, visible_release
from pressroom.desk.forms import FilterForm
from pressroom.releases.models import HONG_KONG, Release, ReleaseState
from pressroom.workflow import revisions
from pressroom.workflow.models import AuditEntry, Revision
from pressroom.workflow.permissions import visible_releases
from pressroom.workflow.roles import Role, roles_of

S = ReleaseState
# What each role is waiting to act on.
WAITING_FOR = {
    Role.WRITER: (S.DRAFT,),
    Role.APPROVER: (S.SUBMITTED,),
    Role.EDITOR: (S.APPROVED,),
}


def _listing(queryset):
    return queryset.select_related("department").prefetch_related("versions")


@desk_view
def queue(request):
    now = timezone.now()
    mine = visible_releases(request.user)
    roles = roles_of(request.user)
    waiting_states = {state for role in roles for state in WAITING_FOR.get(role, ())}
    start_of_day = dt.datetime.combine(timezone.localtime(now, HONG_KONG).date(), dt.time.min,
                                       tzinfo=HONG_KONG)  # fmt: skip
    context = {
        "waiting": _listing(mine.filter(state__in=waiting_states).order_by("-updated_at")),
        "in_progress": _listing(
            mine.filter(state__in=[S.DRAFT, S.SUBMITTED, S.APPROVED])
            .exclude(state__in=waiting_states)
            .order_by("-updated_at")[:50]
        ),
        "schedule": _listing(
            mine.filter(state=S.SCHEDULED, issue_instant__gt=now).order_by("issue_instant")
        ),
        "issued_today": _listing(
            mine.public(now).filter(issue_instant__gte=start_of_day).order_by("-issue_instant")
        ),
        "now": now,
    }
    return render(request, "desk/queue.html", context)


@desk_view
def release_list(request):
    form = FilterForm(request.GET or None)
    releases = visible_releases(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            term = data["q"].strip()
            releases = releases.filter(
                Q(reference__iexact=term) | Q(pk__in=Release.objects.by_reference(term).values("pk"))
                | Q(versions__title__icontains=term)
            ).distinct()  # fmt: skip
        if data["state"]:
            releases = releases.filter(state=data["state"])
        if data["department"]:
            releases = releases.filter(department=data["department"])
        if data["issued_from"]:
            releases = releases.filter(issue_instant__gte=_start(data["issued_from"]))
        if data["issued_to"]:
            releases = releases.filter(
                issue_instant__lt=_start(data["issued_to"] + dt.timedelta(days=1))
            )
    releases = _listing(releases.order_by("-updated_at", "-pk"))
    page = Paginator(releases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "desk/releases.html",
                  {"form": form, "page": page, "query": query.urlencode()})  # fmt: skip


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=HONG_KONG)


@desk_view
def history(request, pk: int):
    release = visible_release(request, pk)
    all_revisions = list(Revision.objects.filter(release_id=release.pk).order_by("-number"))
    by_number = {revision.number: revision for revision in all_revisions}
    newer = by_number.get(_int(request.GET.get("b"))) or (
        all_revisions[0] if all_revisions else None
    )
    older = by_number.get(_int(request.GET.get("a"))) or (
        by_number.get(newer.number - 1) if newer else None
    )
    differences = []
    if older and newer and older.number != newer.number:
        if older.number > newer.number:
            older, newer = newer, older
        differences = [d for d in revisions.diff(older, newer) if d.changed]
    return render(request, "desk/history.html", {
        "release": release, "revisions": all_revisions, "older": older, "newer": newer,
        "differences": differences,
    })  # fmt: skip


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@desk_view
def release_audit(request, pk: int):
    release = visible_release(request, pk)
    entries = AuditEntry.objects.filter(release_id=release.pk).order_by("-created_at", "-id")
    return render(request, "desk/audit.html", {"release": release, "entries": entries})


@desk_view
def audit_log(request):
    visible = visible_releases(request.user).values("pk")
    entries = AuditEntry.objects.filter(release_id__in=visible).order_by("-created_at", "-id")
    if Role.EDITOR in roles_of(request.user) or Role.ADMIN in roles_of(request.user):
        entries = AuditEntry.objects.order_by("-created_at", "-id")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "desk/audit.html", {"release": None, "entries": page, "page": page})
