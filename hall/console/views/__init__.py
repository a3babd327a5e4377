"""The console's views, one module per page; `render_page` adds what every page's header needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hall.cases.holidays import missing_notice
from hall.console import roles


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, nav: str = "",
                status: int = 200) -> HttpResponse:
    """Render a console page with the user's roles (for the header and for hiding buttons), the nav tab, and
    the warning while a year's holiday notice the clocks need is missing."""
    warning = missing_notice(timezone.localdate()) if request.user.is_authenticated else None
    return render(request, template, {**roles.context(request.user), "nav": nav, "calendar_warning": warning,
                                      **context}, status=status)
