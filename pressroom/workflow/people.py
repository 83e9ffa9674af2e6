"""Setting people up: departments, desk accounts and the administrators' admin permissions.

Only administrators (and superusers) enter /admin/: they are the only staff accounts. Writers,
approvers and duty editors work on the desk, where the workflow rules apply. Administrators add
accounts and keep their details; roles, flags, groups and other people's passwords are a
superuser's (see `pressroom.workflow.privileges`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from pressroom.releases import limits
from pressroom.releases.models import Department
from pressroom.workflow.models import Membership
from pressroom.workflow.privileges import Privileges, record_privileges
from pressroom.workflow.roles import Role

ADMINISTRATORS_GROUP = "Administrators"
# Administrators manage people, departments and categories, and may look at everything else
# (desk roles included: only a superuser changes one).
MANAGED = [("auth", "user"), ("releases", "department"), ("releases", "category")]
VIEWED = [("releases", "release"), ("releases", "releaseversion"), ("media", "photo"),
          ("media", "phototext"), ("workflow", "auditentry"), ("workflow", "revision"),
          ("workflow", "membership")]  # fmt: skip


def administrators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    wanted = Permission.objects.none()
    for app_label, model in MANAGED:
        wanted |= Permission.objects.filter(content_type__app_label=app_label,
                                            content_type__model=model)  # fmt: skip
    for app_label, model in VIEWED:
        wanted |= Permission.objects.filter(content_type__app_label=app_label,
                                            content_type__model=model, codename__startswith="view_")  # fmt: skip
    group.permissions.set(wanted)
    return group


def add_department(code: str, name_en: str, name_zh_hant: str) -> tuple[Department, bool]:
    """Create a department or rename it; TextRefused names a name that is not one line within
    the limit."""
    limits.single_line("name_en", name_en, limits.NAME_MAX_CHARS)
    limits.single_line("name_zh_hant", name_zh_hant, limits.NAME_MAX_CHARS)
    department, created = Department.objects.update_or_create(
        code=code, defaults={"name_en": name_en, "name_zh_hant": name_zh_hant}
    )
    return department, created


@transaction.atomic
def add_user(username: str, role: Role, department: Department | None, password: str,
             email: str = ""):  # fmt: skip
    """Create or update a desk account; the password must pass Django's validators
    (raises django.core.exceptions.ValidationError otherwise). Run by whoever owns the server
    (`pressroom adduser`), so no superuser is asked; the change is audited all the same."""
    if role in (Role.WRITER, Role.APPROVER) and department is None:
        raise ValueError(f"a {role.label.lower()} needs a department (--department CODE)")
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, email=email)
    before = Privileges.of(user.pk)
    validate_password(password, user)
    user.set_password(password)
    user.is_staff = role == Role.ADMIN
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"role": role, "department": department}
    )
    group = administrators_group()
    if role == Role.ADMIN:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    record_privileges(None, user, before, Privileges.of(user.pk), "pressroom adduser")
    return user
