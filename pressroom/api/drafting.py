"""Writing through the API: drafts, edits and every workflow move, as the token's owner.

Nothing here decides who may do what or which move fits which state: each endpoint calls the
workflow's action (`pressroom.workflow.actions`), exactly as the desk does, and turns its
refusal into an answer: `NotPermitted` is 403, a move that does not fit the release's state
(or a stale revision) is 409, content that cannot be read is 422. A release the owner cannot
see on the desk is 404, as if it did not exist.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Status

from pressroom.api.auth import BearerToken
from pressroom.api.releases import router
from pressroom.api.schemas import (
    CommentIn,
    CorrectIn,
    DeskRelease,
    DraftIn,
    DraftPatch,
    Error,
    ReferenceParam,
    ScheduleIn,
    VersionIn,
    VersionPatch,
    WithdrawIn,
)
from pressroom.releases.models import HONG_KONG, Department, Release
from pressroom.workflow import actions, revisions
from pressroom.workflow.content import LanguageContent, PhotoText, ReleaseContent, check_content
from pressroom.workflow.errors import InvalidMove
from pressroom.workflow.permissions import visible_releases

WRITE_RESPONSES = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class ContentRefused(Exception):
    """Content the workflow could not read (422, not 409: nothing is wrong with the state)."""


def desk_release(release: Release) -> dict:
    release = (
        Release.objects.select_related("department").prefetch_related("versions").get(pk=release.pk)
    )
    languages = release.languages()
    return {
        "reference": release.reference,
        "state": release.state,
        "issue_instant": release.issue_instant.astimezone(HONG_KONG)
        if release.issue_instant
        else None,
        "department": release.department.code if release.department else None,
        "languages": languages,
        "titles": {language: release.version(language).title for language in languages},
        "revision": revisions.latest_number(release),
    }


def release_for(user, reference: str) -> Release:
    release = visible_releases(user, Release.objects.by_reference(reference)).first()
    if release is None:
        raise Http404(f"no release {reference!r} on your desk")
    return release


def _language_content(
    version: VersionIn | VersionPatch, existing: LanguageContent | None = None
) -> LanguageContent:
    photos = dict(existing.photos) if existing else {}
    if version.captions is not None:
        photos = {
            position: PhotoText(caption.caption, caption.alt_text)
            for position, caption in enumerate(version.captions, start=1)
        }
    return LanguageContent(title=version.title, body=version.body, photos=photos)


def merged_content(release: Release, patch: DraftPatch | CorrectIn) -> ReleaseContent:
    """The release's content with the languages the request gives replaced."""
    content = ReleaseContent.of(release)
    for language, version in (("en", patch.en), ("zh-Hant", patch.zh_hant)):
        if version is not None:
            content.languages[language] = _language_content(
                version, content.languages.get(language)
            )
    return checked(content)


def checked(content: ReleaseContent) -> ReleaseContent:
    """Content the workflow can read, or a 422 naming the language and line (before any move,
    so a refusal from the action itself is about the release's state: 409)."""
    try:
        check_content(content)
    except InvalidMove as error:
        raise ContentRefused(str(error)) from None
    return content


@router.post(
    "",
    auth=BearerToken(),
    response={201: DeskRelease, **WRITE_RESPONSES},
    summary="Start a draft (English and/or Traditional Chinese)",
    operation_id="create_release",
)
def create_release(request, draft: DraftIn):
    department = Department.objects.filter(code=draft.department).first()
    if department is None:
        raise Http404(f"no department with the code {draft.department!r}")
    content = ReleaseContent()
    for language, version in (("en", draft.en), ("zh-Hant", draft.zh_hant)):
        if version is not None:
            content.languages[language] = _language_content(version)
    if not content.languages:
        raise ContentRefused(
            "give the release in English (en) or Traditional Chinese (zh-Hant), or both"
        )
    release = actions.create_release(request.auth, department, checked(content), kind=draft.kind)
    return Status(201, desk_release(release))


@router.patch(
    "/{reference}",
    auth=BearerToken(),
    response={200: DeskRelease, **WRITE_RESPONSES},
    summary="Edit a release before publication (the languages given are replaced)",
    operation_id="edit_release",
)
def edit_release(request, reference: ReferenceParam, patch: DraftPatch):
    release = release_for(request.auth, reference)
    revision = patch.revision if patch.revision is not None else revisions.latest_number(release)
    action = actions.EditRelease(
        release,
        request.auth,
        content=merged_content(release, patch),
        expected_revision=revision,
        summary=patch.summary or "edited through the API",
    )
    return Status(200, desk_release(action.execute()))


def _move(request, reference: str, action_class, **details) -> Status:
    release = release_for(request.auth, reference)
    return Status(200, desk_release(action_class(release, request.auth, **details).execute()))


_MOVE = {
    "auth": BearerToken(),
    "response": {200: DeskRelease, **WRITE_RESPONSES},
    "tags": ["workflow"],
}


@router.post(
    "/{reference}/submit",
    summary="Submit a draft for approval",
    operation_id="submit_release",
    **_MOVE,
)
def submit(request, reference: ReferenceParam):
    return _move(request, reference, actions.SubmitRelease)


@router.post(
    "/{reference}/return",
    summary="Return to draft, with a comment",
    operation_id="return_release",
    **_MOVE,
)
def return_to_draft(request, reference: ReferenceParam, body: CommentIn):
    return _move(request, reference, actions.ReturnToDraft, comment=body.comment)


@router.post(
    "/{reference}/approve",
    summary="Approve a submitted release",
    operation_id="approve_release",
    **_MOVE,
)
def approve(request, reference: ReferenceParam):
    return _move(request, reference, actions.ApproveRelease)


@router.post(
    "/{reference}/schedule",
    summary="Schedule for an issue instant",
    operation_id="schedule_release",
    **_MOVE,
)
def schedule(request, reference: ReferenceParam, body: ScheduleIn):
    instant = body.issue_instant
    if timezone.is_naive(instant):
        instant = instant.replace(tzinfo=HONG_KONG)
    return _move(request, reference, actions.ScheduleRelease, issue_instant=instant)


@router.post(
    "/{reference}/unschedule",
    summary="Pull a scheduled release back",
    operation_id="unschedule_release",
    **_MOVE,
)
def unschedule(request, reference: ReferenceParam):
    return _move(request, reference, actions.UnscheduleRelease)


@router.post("/{reference}/publish", summary="Publish now", operation_id="publish_release", **_MOVE)
def publish(request, reference: ReferenceParam):
    return _move(request, reference, actions.PublishRelease)


@router.post(
    "/{reference}/correct",
    summary="Correct a published release, with a note",
    operation_id="correct_release",
    **_MOVE,
)
def correct(request, reference: ReferenceParam, body: CorrectIn):
    release = release_for(request.auth, reference)
    content = merged_content(release, body) if (body.en or body.zh_hant) else None
    action = actions.CorrectRelease(release, request.auth, note=body.note, content=content)
    return Status(200, desk_release(action.execute()))


@router.post(
    "/{reference}/withdraw",
    summary="Withdraw a published release, with a reason",
    operation_id="withdraw_release",
    **_MOVE,
)
def withdraw(request, reference: ReferenceParam, body: WithdrawIn):
    return _move(request, reference, actions.WithdrawRelease, reason=body.reason)
