"""Who may do what: reads the tables in `rules` and says why not, in words.

Every path (desk views, admin, commands) asks here; the actions ask again inside their
transaction, so a view that forgot to ask still cannot let a refused step through.
"""

from __future__ import annotations

from django.conf import settings

from pressroom.releases.models import Department, Release, ReleaseState
from pressroom.workflow.models import AuditEntry, Revision
from pressroom.workflow.roles import Role, department_id_of, roles_of
from pressroom.workflow.rules import ANY, MOVES, OWN, effective_state


def refusal(user, rule: dict[Role, str], department_id: int | None, doing: str) -> str | None:
    """None when `user` may do `doing` on something of `department_id`, else the reason."""
    roles = roles_of(user)
    if not roles:
        return f"you cannot {doing}: your account has no role on the desk"
    own_department = department_id_of(user)
    for role in roles:
        scope = rule.get(role)
        if scope == ANY:
            return None
        if scope == OWN and department_id is not None and own_department == department_id:
            return None
    if any(rule.get(role) == OWN for role in roles):
        return (
            f"you cannot {doing}: it belongs to {_department_name(department_id)} and you "
            f"work for {_department_name(own_department)}"
        )
    allowed = " or ".join(
        f"{role.label.lower()}s" + (" of its department" if scope == OWN else "")
        for role, scope in rule.items()
    )
    held = ", ".join(sorted(role.label.lower() for role in roles))
    return f"you cannot {doing}: only {allowed} may, and you are {_article(held)} {held}"


def may(user, rule: dict[Role, str], department_id: int | None) -> bool:
    return refusal(user, rule, department_id, "do this") is None


def four_eyes_refusal(user, release: Release, step: str, now=None) -> str | None:
    """Why `user` may not take `step` (a move's name, or "edit") under the four-eyes rule
    (PRESSROOM_FOUR_EYES), or None.

    Nobody vouches for their own words, duty editors included: whoever wrote the release's
    latest revision, or submitted it, may not approve it. An approval covers the revision it
    saw, so whoever changed the text after it may not schedule or publish it either (that
    would publish words nobody else approved); another duty editor may. A scheduled release
    goes out at its instant with no further step, so its text is not changed at all: pull it
    back first.
    """
    if not settings.PRESSROOM_FOUR_EYES or user is None or not user.is_authenticated:
        return None
    if step == "edit":
        if effective_state(release, now) != ReleaseState.SCHEDULED:
            return None
        return (f"you cannot change {release.reference} while it is scheduled: under the four-eyes "
                "rule what goes out is the text that was approved; pull it back to change it, "
                "and another duty editor schedules it again")  # fmt: skip
    doing = f"you cannot {MOVES[step].label.lower()} {release.reference}"
    revisions = Revision.objects.filter(release_id=release.pk)
    if step == "approve":
        latest = revisions.order_by("-number").first()
        submission = _latest_entry(release, "submit")
        if latest is not None and latest.author_id == user.pk:
            why = f"you wrote its latest revision (revision {latest.number})"
        elif submission is not None and submission.actor_id == user.pk:
            why = "you submitted it"
        else:
            return None
        return (f"{doing}: {why}; under the four-eyes rule another approver or a duty editor "
                "must approve it")  # fmt: skip
    if step in ("schedule", "publish"):
        approval = _latest_entry(release, "approve")
        if approval is None:
            return None
        approved = approval.revision_number
        if approved is None:  # approved before approvals named their revision
            earlier = revisions.filter(created_at__lte=approval.created_at).order_by("-number")
            approved = earlier.values_list("number", flat=True).first() or 0
        if revisions.filter(number__gt=approved, author_id=user.pk).exists():
            return (f"{doing}: you changed it after it was approved; under the four-eyes rule "
                    "another duty editor must schedule or publish it")  # fmt: skip
    return None


def _latest_entry(release: Release, action: str) -> AuditEntry | None:
    return AuditEntry.objects.filter(release_id=release.pk, action=action).order_by("-id").first()


def visible_releases(user, queryset=None):
    """The releases a person sees on the desk: their department's, or all for duty editors."""
    from pressroom.workflow.rules import VIEW_RULES

    queryset = Release.objects.all() if queryset is None else queryset
    roles = roles_of(user)
    if any(VIEW_RULES.get(role) == ANY for role in roles):
        return queryset
    if any(VIEW_RULES.get(role) == OWN for role in roles):
        return queryset.filter(department_id=department_id_of(user))
    return queryset.none()


def creatable_departments(user):
    from pressroom.workflow.rules import CREATE_RULES

    roles = roles_of(user)
    if any(CREATE_RULES.get(role) == ANY for role in roles):
        return Department.objects.all()
    if any(CREATE_RULES.get(role) == OWN for role in roles):
        return Department.objects.filter(pk=department_id_of(user))
    return Department.objects.none()


def _department_name(department_id: int | None) -> str:
    if department_id is None:
        return "no department"
    department = Department.objects.filter(pk=department_id).first()
    return department.name_en if department else "no department"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
