"""Console requests count working days by the current holiday calendar: one small query per page brings
this server process up to date with the notices an admin entered in any process (hall.cases.holidays).
The kiosk API's paths skip it (the ingest refreshes the calendar itself when it computes a deadline)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hall.cases import holidays


class CalendarMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(("/api/", "/healthz", "/static/")):
            holidays.refresh()
        return self.get_response(request)
