"""The cases in Django's admin (read-mostly: states change only through hall.cases.services)."""

from django.contrib import admin

from hall.cases.models import Case, Kiosk, Rating, StaffCall


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    list_display = ("kiosk_id", "name", "location", "last_seen", "version", "revoked_at")
    exclude = ("token_hash",)
    readonly_fields = ("change_seq", "acked_cursor", "last_heartbeat", "last_seen", "last_kiosk_time")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "service", "state", "outcome", "submitted_at", "decision_due", "claimed_by")
    list_filter = ("state", "service")
    search_fields = ("number",)
    #: The sealed ID number and its hash stay out of the admin (the masked form shows; revealing the number is
    #: the console's audited action).
    exclude = ("id_number_sealed", "id_number_hash", "id_answers_sealed", "id_answer_hashes")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]


admin.site.register(StaffCall)
admin.site.register(Rating)
