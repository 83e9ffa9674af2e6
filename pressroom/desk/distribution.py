"""The desk's distribution page: dead letters with "retry", webhook endpoints, embargoes.

Duty editors and administrators only; the checks are the desk's own (desk.access and the
workflow's role table). The desk stands above distribution: it shows and starts what
distribution does (pressroom.distribution.outbox, sending, endpoints).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pressroom.desk.access import Refused, desk_view
from pressroom.distribution import endpoints, outbox, wakeup
from pressroom.distribution.forms import EndpointForm
from pressroom.distribution.models import Delivery, DeliveryStatus, Embargo, WebhookEndpoint
from pressroom.distribution.sending import retry_dead
from pressroom.releases.models import Release, ReleaseState
from pressroom.workflow.audit import record_entry
from pressroom.workflow.permissions import refusal
from pressroom.workflow.roles import Role
from pressroom.workflow.rules import ANY

DISTRIBUTION_RULES = {Role.EDITOR: ANY, Role.ADMIN: ANY}
EMBARGO_RULES = {Role.EDITOR: ANY}
DEAD_LETTERS_SHOWN = 200


def _require(request, rule, doing: str) -> None:
    reason = refusal(request.user, rule, None, doing)
    if reason:
        raise Refused(reason)


@desk_view
def overview(request):
    _require(request, DISTRIBUTION_RULES, "manage distribution")
    dead = (
        Delivery.objects.filter(status=DeliveryStatus.DEAD)
        .select_related("event__release", "subscription", "endpoint")
        .order_by("-due_at")[:DEAD_LETTERS_SHOWN]
    )
    counts = {
        status: Delivery.objects.filter(status=status).count()
        for status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DEAD)
    }
    return render(request, "desk/distribution.html", {
        "dead_letters": dead, "counts": counts, "endpoints": WebhookEndpoint.objects.all(),
        "form": EndpointForm(), "new_secret": request.session.pop("new_webhook_secret", None),
    })  # fmt: skip


@desk_view
@require_POST
def retry(request):
    _require(request, DISTRIBUTION_RULES, "retry deliveries")
    ids = [int(pk) for pk in request.POST.getlist("delivery") if pk.isdigit()]
    count = retry_dead(ids if ids else None)
    messages.success(request, f"{count} deliver{'y' if count == 1 else 'ies'} queued again.")
    return redirect("desk:distribution")


@desk_view
@require_POST
def add_endpoint(request):
    _require(request, DISTRIBUTION_RULES, "register webhook endpoints")
    form = EndpointForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            endpoint = endpoints.register(
                data["url"], newsroom=data["newsroom"], language=data["language"],
                accepts_embargo=data["accepts_embargo"],
            )  # fmt: skip
        except endpoints.EndpointError as error:
            messages.error(request, str(error))
        else:
            # Shown once, on the next page only.
            request.session["new_webhook_secret"] = {"id": endpoint.pk, "secret": endpoint.secret}
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("desk:distribution")


@desk_view
@require_POST
def remove_endpoint(request, pk):
    _require(request, DISTRIBUTION_RULES, "remove webhook endpoints")
    get_object_or_404(WebhookEndpoint, pk=pk).delete()
    messages.success(request, f"Endpoint {pk} removed.")
    return redirect("desk:distribution")


@desk_view
@require_POST
def set_embargo(request, pk):
    """Allow (or stop) sending a scheduled release early to embargo-accredited newsrooms."""
    release = get_object_or_404(Release, pk=pk)
    _require(request, EMBARGO_RULES, f"allow an embargo on {release.reference}")
    allow = request.POST.get("allow") == "1"
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=pk)
        now = timezone.now()
        if allow:
            if release.state != ReleaseState.SCHEDULED or release.is_public(now):
                raise Refused(f"only a release scheduled for later can go out under embargo; "
                              f"{release.reference} is not")  # fmt: skip
            _, created = Embargo.objects.get_or_create(
                release=release, defaults={"allowed_by": request.user}
            )
            if created:
                outbox.send_embargoed_copy(release.pk, release.issue_instant, now)
                record_entry(release, request.user, "embargo",
                             "sent to embargo-accredited newsrooms before its issue time")  # fmt: skip
                wakeup.notify_worker()
            messages.success(request, f"{release.reference} goes to accredited newsrooms now, "
                                      "embargoed until its issue time.")  # fmt: skip
        else:
            if Embargo.objects.filter(release=release).delete()[0]:
                record_entry(release, request.user, "embargo-off", "no longer sent early")
            messages.success(request, f"No embargo for {release.reference}.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("desk:distribution")
