"""Staff roles in the console and the server-side check in front of every page and action.

Roles are Django groups (受理员 reviewer, 审批人 approver, 管理员 admin; hall.cases.models.ROLE_GROUPS) and
hall.cases.services.roles_of reads them. A view says which roles may use it with `@role_required(...)`; the
check runs on the server for every request, whatever buttons the page showed. An admin may do what a
reviewer or an approver may, and the case actions check the role again inside hall.cases.services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from hall.cases.models import ROLE_GROUPS
from hall.cases.services import roles_of as _roles_of

REVIEWER = "reviewer"
APPROVER = "approver"
ADMIN = "admin"


def roles_of(user: Any) -> set[str]:
    """The roles a user holds (read once per request); none for the anonymous or an inactive user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_console_roles", None)
    if cached is None:
        cached = _roles_of(user)
        user._console_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    """Whether the user holds one of `roles` (an admin holds them all)."""
    held = roles_of(user)
    return ADMIN in held or bool(held & set(roles))


def role_required(*roles: str) -> Callable:
    """Log in first, then 403 unless the user holds one of `roles` (none named: any staff role)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
            held = roles_of(request.user)
            if not held or (roles and not has_role(request.user, *roles)):
                raise PermissionDenied("您的账号没有使用此页面或此操作的角色。请联系管理员分配角色。")
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorate


def context(user: Any) -> dict[str, Any]:
    """What the templates need to show the header and to hide buttons a role cannot use."""
    roles = roles_of(user)
    return {"roles": roles, "role_names": [ROLE_GROUPS[r] for r in (REVIEWER, APPROVER, ADMIN) if r in roles],
            "is_admin": ADMIN in roles, "is_reviewer": bool(roles & {REVIEWER, ADMIN}),
            "is_approver": bool(roles & {APPROVER, ADMIN})}
