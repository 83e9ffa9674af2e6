"""Writing on the desk: a new release, editing one, the workflow buttons, photos, pasting
wire text, and the Simplified Chinese preview. Every change goes through a workflow action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pressroom.desk.access import Refused, desk_view, visible_release
from pressroom.desk.distribution import EMBARGO_RULES
from pressroom.desk.forms import ComposeForm, MoveForm, PasteForm, PhotoUploadForm
from pressroom.desk.models import PreviewLink
from pressroom.distribution.models import Embargo
from pressroom.media.links import desk_url
from pressroom.media.uploads import UploadRefused
from pressroom.releases.chinese import to_simplified
from pressroom.releases.limits import TextRefused
from pressroom.releases.models import Release, ReleaseState
from pressroom.wire.body_text import render_body
from pressroom.workflow import actions, revisions
from pressroom.workflow.content import ReleaseContent
from pressroom.workflow.errors import WorkflowError
from pressroom.workflow.models import AuditEntry
from pressroom.workflow.permissions import creatable_departments, four_eyes_refusal, may, refusal
from pressroom.workflow.rules import (
    EDIT_RULES,
    MOVES,
    SHARE_RULES,
    effective_state,
    state_label,
)  # fmt: skip

PASTE_NAME = "pasted text"


@desk_view
def new_release(request):
    departments = creatable_departments(request.user)
    if not departments.exists():
        raise Refused("only writers, approvers and duty editors start releases")
    form = ComposeForm(departments=departments, initial={"base_revision": 0})
    paste_form = PasteForm()
    if request.method == "POST":
        form = ComposeForm(request.POST, departments=departments,
                           photo_positions=_pasted_positions(request.POST))  # fmt: skip
        if request.POST.get("intent") == "paste":
            form, paste_form = _fill_from_paste(request, form, departments, None)
        elif form.is_valid():
            try:
                release = actions.create_release(
                    request.user, form.cleaned_data["department"], form.content()
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            except TextRefused as refused:
                form.add_refusal(refused)
            else:
                messages.success(request, f"Draft {release.reference} saved.")
                return redirect("desk:release", pk=release.pk)
    return render(
        request, "desk/compose.html", {"form": form, "paste_form": paste_form, "release": None}
    )


@desk_view
def edit_release(request, pk: int):
    release = visible_release(request, pk)
    departments = creatable_departments(request.user) | _own(release)
    positions = _photo_positions(release)
    paste_form = PasteForm()
    if request.method == "POST":
        form = ComposeForm(request.POST, departments=departments,
                           photo_positions=positions | _pasted_positions(request.POST))  # fmt: skip
        if request.POST.get("intent") == "paste":
            form, paste_form = _fill_from_paste(request, form, departments, release)
        elif form.is_valid():
            try:
                actions.EditRelease(
                    release, request.user, content=form.content(),
                    expected_revision=form.cleaned_data["base_revision"] or 0,
                ).execute()  # fmt: skip
            except WorkflowError as error:
                form.add_error(None, str(error))
            except TextRefused as refused:
                form.add_refusal(refused)
            else:
                messages.success(request, f"{release.reference} saved.")
                return redirect("desk:release", pk=release.pk)
    else:
        form = _form_for(release, departments, positions)
    return render(
        request, "desk/compose.html", _release_context(request, release, form, paste_form)
    )


def _form_for(release, departments, positions):
    initial = ComposeForm.initial_from(
        ReleaseContent.of(release), release.department_id, revisions.latest_number(release)
    )
    return ComposeForm(initial=initial, departments=departments, photo_positions=positions)


def _own(release):
    from pressroom.releases.models import Department

    return Department.objects.filter(pk=release.department_id)


def _photo_positions(release) -> set[int]:
    return set(release.photos.values_list("position", flat=True))


def _pasted_positions(data) -> set[int]:
    """Caption fields a pasted text added (photos that will await their image)."""
    positions = set()
    for name in data:
        if name.startswith("caption_") and name.rsplit("_", 1)[-1].isdigit():
            positions.add(int(name.rsplit("_", 1)[-1]))
    return positions


def _fill_from_paste(request, form, departments, release):
    """Parse pasted wire text with the importer's reader and fill that language's fields
    (nothing is saved: the person checks the result and saves)."""
    from pressroom.importer.services import FileProblem, parse_wire

    paste_form = PasteForm(request.POST)
    data = request.POST.copy()
    if paste_form.is_valid() and not paste_form.cleaned_data["wire_text"].strip():
        paste_form.add_error("wire_text", "Paste a release in the wire format first.")
    elif paste_form.is_valid():
        try:
            parsed = parse_wire(paste_form.cleaned_data["wire_text"].encode("utf-8"), PASTE_NAME)
        except FileProblem as problem:
            paste_form.add_error("wire_text", f"The wire text cannot be read: {problem}")
        else:
            language = parsed.language.value
            key = "en" if language == "en" else "zh"
            data[f"title_{key}"] = parsed.title
            data[f"body_{key}"] = render_body(parsed.body, language)
            for position, caption in enumerate(parsed.captions, start=1):
                data[f"caption_{key}_{position}"] = caption
            messages.info(request, f"Filled the {'English' if key == 'en' else 'Chinese'} "
                          "version from the wire text: check it, then save.")  # fmt: skip
            paste_form = PasteForm()
    positions = (_photo_positions(release) if release else set()) | _pasted_positions(data)
    form = ComposeForm(data, departments=departments, photo_positions=positions)
    form.is_valid()
    return form, paste_form


def _release_context(request, release, form, paste_form) -> dict:
    release = Release.objects.prefetch_related("versions", "photos__texts").get(pk=release.pk)
    state = effective_state(release)
    user = request.user
    can_edit = state in EDIT_RULES and may(user, EDIT_RULES[state], release.department_id)
    edit_refused = four_eyes_refusal(user, release, "edit") if can_edit else None
    moves = [
        move for move in MOVES.values()
        if state in move.sources and may(user, move.roles, release.department_id)
    ]  # fmt: skip
    correcting = any(move.name == "correct" for move in moves)
    simplified = release.version("zh-Hans")
    last_return = AuditEntry.objects.filter(release_id=release.pk, action="return").first()
    can_share = may(user, SHARE_RULES, release.department_id)
    return {
        "release": release,
        "form": form,
        "paste_form": paste_form,
        "upload_form": PhotoUploadForm(initial={"base_revision": revisions.latest_number(release)}),
        "move_form": MoveForm(),
        "state_label": state_label(release),
        "effective_state": state.value,
        "can_edit": can_edit and not edit_refused,
        "edit_refused": edit_refused,
        "correcting": correcting,
        # A move the four-eyes rule refuses this person stays on the page, disabled, with why.
        "moves": [
            {
                "name": move.name,
                "label": move.label,
                "needs": move.needs,
                "refused": four_eyes_refusal(user, release, move.name),
            }
            for move in moves
            if move.name != "correct"
        ],  # fmt: skip
        "base_revision": revisions.latest_number(release),
        "simplified_title": simplified.title if simplified else "",
        "simplified_body": render_body(simplified.blocks, "zh-Hans") if simplified else "",
        "photos": [
            {
                "photo": photo,
                "thumb": desk_url(photo, "thumb"),
                "alt": (photo.text("en").alt_text if photo.text("en") else ""),
            }
            for photo in release.photos.all()
        ],  # fmt: skip
        "last_return": last_return if release.state == "draft" else None,
        "can_share": can_share,
        "preview_links": PreviewLink.objects.filter(release=release)[:10] if can_share else [],
        "embargo": _embargo_panel(user, release),
    }


def _embargo_panel(user, release) -> dict | None:
    """For duty editors, a scheduled release's embargo switch (distribution decides the rest)."""
    if not may(user, EMBARGO_RULES, release.department_id):
        return None
    upcoming = (
        release.state == ReleaseState.SCHEDULED
        and release.issue_instant is not None
        and release.issue_instant > timezone.now()
    )
    allowed = Embargo.objects.filter(release=release).first()
    if not upcoming and allowed is None:
        return None
    return {"allowed": allowed, "can_allow": upcoming and allowed is None}


@desk_view
@require_POST
def move(request, pk: int, move: str):
    release = visible_release(request, pk)
    action_class = actions.MOVE_ACTIONS.get(move)
    if action_class is None:
        raise Http404("no such workflow step")
    form = MoveForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())
        messages.error(request, f"Not done: {errors}")
        return redirect("desk:release", pk=release.pk)
    data = form.cleaned_data
    options = {"expected_revision": data["expected_revision"]}
    compose = None
    if move == "schedule":
        options["issue_instant"] = data["issue_instant"]
    elif move == "return":
        options["comment"] = data["comment"]
    elif move == "withdraw":
        options["reason"] = data["reason"]
    elif move == "correct":
        options["note"] = data["note"]
        if "title_en" in request.POST:
            departments = creatable_departments(request.user) | _own(release)
            compose = ComposeForm(request.POST, departments=departments,
                                  photo_positions=_photo_positions(release))  # fmt: skip
            if compose.is_valid():
                options["content"] = compose.content()
            else:
                return _correction_failed(request, release, compose, "check the fields below")
    try:
        action_class(release, request.user, **options).execute()
    except (WorkflowError, TextRefused) as error:
        if compose is not None:
            return _correction_failed(request, release, compose, str(error))
        messages.error(request, f"Not done: {error}")
    else:
        messages.success(request, f"{release.reference} {MOVES[move].past_tense}.")
    return redirect("desk:release", pk=release.pk)


def _correction_failed(request, release, compose, reason):
    """Keep what the editor typed: show the form again with the reason, status 409."""
    compose.add_error(None, f"Correction not published: {reason}")
    context = _release_context(request, release, compose, PasteForm())
    return render(request, "desk/compose.html", context, status=409)


@desk_view
@require_POST
def upload_photo(request, pk: int):
    release = visible_release(request, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a photo file to upload.")
        return redirect("desk:release", pk=release.pk)
    try:
        actions.AttachPhoto(
            release, request.user, upload=form.cleaned_data["image"],
            expected_revision=form.cleaned_data["base_revision"],
        ).execute()  # fmt: skip
    except (UploadRefused, WorkflowError, TextRefused) as error:
        messages.error(request, f"Photo not added: {error}")
    else:
        messages.success(request, "Photo added: give it a caption and alt text in both languages.")
    return redirect(reverse("desk:release", kwargs={"pk": release.pk}) + "#photos")


@desk_view
@require_POST
def simplified_preview(request):
    """The Simplified Chinese that will be derived from the Traditional text (for the live
    preview beside the compose form)."""
    return HttpResponse(to_simplified(request.POST.get("text", "")[:200_000]),
                        content_type="text/plain; charset=utf-8")  # fmt: skip


__all__ = ["new_release", "edit_release", "move", "upload_photo", "simplified_preview", "refusal"]
