"""The console's views, one module per page; `render_page` adds what every page's header needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hall.console import roles


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, nav: str = "",
                status: int = 200) -> HttpResponse:
    """Render a console page with the user's roles (for the header and for hiding buttons) and the nav tab."""
    return render(request, template, {**roles.context(request.user), "nav": nav, **context}, status=status)
