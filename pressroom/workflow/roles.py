"""Who people are on the desk: a role and, for writers and approvers, a department.

A person has one membership. Writers and approvers act within their department; duty editors act
on every release; administrators look after people, departments and categories, not releases.
Superusers count as both duty editor and administrator (they are the installation's owners).
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    WRITER = "writer", "Writer"
    APPROVER = "approver", "Approver"
    EDITOR = "editor", "Duty editor"
    ADMIN = "admin", "Administrator"


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds (none for anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset({Role.EDITOR, Role.ADMIN})
    membership = getattr(user, "desk_membership", None)
    try:
        return frozenset({Role(membership.role)}) if membership else frozenset()
    except ValueError:
        return frozenset()


def department_id_of(user) -> int | None:
    membership = getattr(user, "desk_membership", None)
    return membership.department_id if membership else None


def role_label(user) -> str:
    roles = roles_of(user)
    if not roles:
        return "no desk role"
    return ", ".join(sorted(role.label for role in roles))
