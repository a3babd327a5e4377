"""The console's Django app (templates, static files, the queue's index migration), and the 管理员 group's
rights in Django's admin: after every migrate the group holds every permission of the hall's cases and of
the staff accounts (users, groups), so an admin made by `python -m hall staff add --role admin` can use
/admin/ without being a superuser."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

#: The apps whose permissions the 管理员 group holds.
ADMIN_APPS = ("cases", "auth")


def grant_admin_group(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from hall.cases.models import ROLE_GROUPS

    group, _ = Group.objects.using(using).get_or_create(name=ROLE_GROUPS["admin"])
    wanted = Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_APPS)
    missing = wanted.exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)


class ConsoleConfig(AppConfig):
    name = "hall.console"
    label = "console"
    verbose_name = "工作人员控制台"

    def ready(self) -> None:
        # After every app's migrate (the auth permissions exist by then): idempotent.
        post_migrate.connect(grant_admin_group, dispatch_uid="hall.console.grant_admin_group")
