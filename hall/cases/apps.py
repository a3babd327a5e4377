"""The cases app."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hall.cases"
    label = "cases"
    verbose_name = "办件"
    default_auto_field = "django.db.models.BigAutoField"
