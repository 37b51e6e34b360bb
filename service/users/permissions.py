"""Who may do what to users: the admin role, and the fields only an admin may set."""

from __future__ import annotations

from service.users.errors import AdminOnly
from service.users.models import Role, User


def is_admin(user: User | None) -> bool:
    """Whether the user holds the admin role."""
    return user is not None and user.role == Role.ADMIN


def require_admin(user: User | None, message: str) -> None:
    """Refuse anyone but an admin with a 403 `admin-only` saying `message`."""
    if not is_admin(user):
        raise AdminOnly(message)


def check_admin_fields(user: User | None, sent: set[str]) -> None:
    """Refuse admin-only fields from anyone but an admin."""
    if sent:
        require_admin(user, f"Only an admin may set {', '.join(sorted(sent))}.")
