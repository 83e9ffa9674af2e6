"""Who may change whose privileges, and the audit entry each change leaves.

An account's privileges are what let it do more than it could: the superuser and staff flags,
its groups and its own permissions, and its desk role (with the department the role works for).
Nobody raises their own:

- Privileges change only by a superuser, and never on the superuser's own account, not even to
  lower them: a stolen session cannot rewrite its own record, and nobody removes the last
  superuser by a slip. Another superuser does it (or `pressroom adduser` / `createsuperuser`,
  run by whoever owns the server).
- Whoever sets a password can sign in as that person, so only a superuser sets another
  person's password; only a superuser changes a superuser's or an administrator's account
  (anyone may change their own name and e-mail), and only a superuser deletes an account that
  holds privileges.
- Groups carry permissions to everyone in them: only a superuser adds, changes or deletes one.

The admin (`pressroom.workflow.admin`) asks here for every page and checks again after saving,
so a form that forgot a field still cannot let a change through. Every change of privileges,
every password set for someone else and every group change is an audit entry: who (the actor),
whom and what changed (the message).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from pressroom.workflow.audit import record_entry
from pressroom.workflow.models import AuditEntry, Membership


@dataclass(frozen=True)
class Privileges:
    superuser: bool = False
    staff: bool = False
    groups: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)
    role: str = ""
    department: str = ""

    @classmethod
    def of(cls, account_id: int | None) -> Privileges:
        """As stored (not as a form holds them in memory): read before and after a save."""
        row = (
            get_user_model()
            .objects.filter(pk=account_id)
            .values("is_superuser", "is_staff")
            .first()
        )
        if row is None:
            return cls()
        membership = (
            Membership.objects.filter(user_id=account_id).select_related("department").first()
        )
        return cls(
            superuser=row["is_superuser"],
            staff=row["is_staff"],
            groups=frozenset(
                Group.objects.filter(user__pk=account_id).values_list("name", flat=True)
            ),
            permissions=_permission_names(Permission.objects.filter(user__pk=account_id)),
            role=membership.role if membership else "",
            department=membership.department.code if membership and membership.department else "",
        )

    def any(self) -> bool:
        return self != Privileges()

    def changes_to(self, after: Privileges) -> list[str]:
        """What changed, in words: "staff: no → yes", "groups: + Duty editors"."""
        changes = []
        for label, old, new in (("superuser", self.superuser, after.superuser),
                                ("staff", self.staff, after.staff)):  # fmt: skip
            if old != new:
                changes.append(f"{label}: {_yes_no(old)} → {_yes_no(new)}")
        for label, old, new in (("groups", self.groups, after.groups),
                                ("permissions", self.permissions, after.permissions)):  # fmt: skip
            if old != new:
                changes.append(f"{label}: {_added_removed(old, new)}")
        for label, old, new in (("desk role", self.role, after.role),
                                ("department", self.department, after.department)):  # fmt: skip
            if old != new:
                changes.append(f"{label}: {old or 'none'} → {new or 'none'}")
        return changes


# --- who may --------------------------------------------------------------------------------


def privileges_refusal(actor, account) -> str | None:
    """None when `actor` may change `account`'s privileges (`account` None: a new account)."""
    if not actor.is_superuser:
        return ("only a superuser changes privileges (superuser, staff, groups, permissions, "
                "desk role)")  # fmt: skip
    if account is not None and account.pk == actor.pk:
        return "nobody changes their own privileges, superusers included: another superuser does"
    return None


def account_refusal(actor, account) -> str | None:
    """None when `actor` may change `account`'s details (name, e-mail, active)."""
    if actor.is_superuser or account.pk == actor.pk:
        return None
    if account.is_superuser or account.is_staff:
        return "only a superuser changes a superuser's or an administrator's account"
    return None


def password_refusal(actor, account) -> str | None:
    if account.pk == actor.pk or actor.is_superuser:
        return None
    return "only a superuser sets another person's password: whoever sets it can sign in as them"


def deletion_refusal(actor, account) -> str | None:
    if Privileges.of(account.pk).any():
        return privileges_refusal(actor, account)
    return account_refusal(actor, account)


def group_refusal(actor) -> str | None:
    if actor.is_superuser:
        return None
    return (
        "only a superuser adds, changes or deletes groups: their permissions reach everyone in them"
    )


# --- the audit log --------------------------------------------------------------------------


def record_privileges(actor, account, before: Privileges, after: Privileges,
                      how: str = "") -> AuditEntry | None:  # fmt: skip
    changes = before.changes_to(after)
    if not changes:
        return None
    via = f" ({how})" if how else ""
    return record_entry(None, actor, "privileges", f"{_whom(account)}{via}: " + "; ".join(changes))


def record_password(actor, account) -> AuditEntry:
    return record_entry(None, actor, "password", f"{_whom(account)}: password set in the admin")


def record_deletion(actor, account, before: Privileges) -> AuditEntry | None:
    if not before.any():
        return None
    held = "; ".join(Privileges().changes_to(before))
    return record_entry(None, actor, "account-deleted", f"{_whom(account)} deleted; it held {held}")


def group_permissions(group_id: int | None) -> frozenset[str]:
    return (
        _permission_names(Permission.objects.filter(group__pk=group_id))
        if group_id
        else frozenset()
    )


def record_group(actor, group, before: frozenset[str], after: frozenset[str] | None,
                 before_name: str | None = None) -> AuditEntry | None:  # fmt: skip
    """A group added (`before_name` None), changed (permissions or name) or deleted (`after`
    None)."""
    if after is None:
        message = (
            f"group {group.name} deleted; it gave {', '.join(sorted(before)) or 'no permissions'}"
        )
    elif before_name is None:
        message = (
            f"group {group.name} added; it gives {', '.join(sorted(after)) or 'no permissions'}"
        )
    else:
        changes = []
        if before_name and before_name != group.name:
            changes.append(f"renamed from {before_name}")
        if before != after:
            changes.append(f"permissions: {_added_removed(before, after)}")
        if not changes:
            return None
        message = f"group {group.name}: " + "; ".join(changes)
    return record_entry(None, actor, "group", message)


def _whom(account) -> str:
    return f"account {account.get_username()} (user {account.pk})"


def _permission_names(permissions) -> frozenset[str]:
    return frozenset(
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    )


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _added_removed(old: frozenset[str], new: frozenset[str]) -> str:
    parts = [f"+ {name}" for name in sorted(new - old)] + [
        f"− {name}" for name in sorted(old - new)
    ]
    return ", ".join(parts)
