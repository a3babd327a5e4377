"""The console's URLs (mounted at the hall's root by hall.urls)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from hall.console.views import calls, case, fleet, holidays, queue, stats

app_name = "console"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html", redirect_authenticated_user=True,
                                       next_page="console:queue"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("", queue.queue, name="queue"),
    path("case/<str:number>/", case.case_page, name="case"),
    path("case/<str:number>/act/<str:action>/", case.act, name="act"),
    path("case/<str:number>/reveal/", case.reveal, name="reveal"),
    path("case/<str:number>/document/<int:pk>/", case.document, name="document"),
    path("case/<str:number>/page/<int:pk>/", case.material_page, name="material_page"),
    path("calls/", calls.calls_page, name="calls"),
    path("calls.json", calls.calls_json, name="calls_json"),
    path("calls/<uuid:call_id>/ack/", calls.ack, name="ack"),
    path("fleet/", fleet.fleet, name="fleet"),
    path("stats/", stats.stats_page, name="stats"),
    path("stats.csv", stats.stats_csv, name="stats_csv"),
    path("ratings/<int:pk>/answer/", stats.answer_rating, name="answer_rating"),
    path("holidays/", holidays.holidays_page, name="holidays"),
]
