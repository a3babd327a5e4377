"""The console's Django app (templates, static files, the queue's index migration)."""

from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "hall.console"
    label = "console"
    verbose_name = "工作人员控制台"
