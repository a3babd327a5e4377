"""The hall's URLs: the kiosk and staff API (hall.cases.api), /healthz, the admin, and the console when present."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hall.cases import api

urlpatterns = [
    path("healthz", api.healthz),
    path("api/v1/events", api.events),
    path("api/v1/heartbeat", api.heartbeat),
    path("api/v1/applications/<str:number>", api.application),
    path("admin/", admin.site.urls),
]
if settings.HAS_CONSOLE:
    urlpatterns.append(path("", include("hall.console.urls")))
