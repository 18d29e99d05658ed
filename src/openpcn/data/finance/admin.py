"""Django admin for the register and ledger: claim history is read-only (append-only)."""

from django.contrib import admin

from openpcn.data.finance.models import Claim, ClaimEvent, StaffMember, StaffSession, Vacancy


class SessionInline(admin.TabularInline):
    model = StaffSession
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("id", "pcn", "role", "wte", "start_date", "end_date", "demo")
    list_filter = ("role", "demo")
    search_fields = ("pcn__code",)
    inlines = [SessionInline]
    raw_id_fields = ("pcn",)  # a select of every organisation in England took 2.5 s a visit


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ("id", "pcn", "role", "wte", "planned_start")
    raw_id_fields = ("pcn",)


class EventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "version", "reason", "username", "at")
    exclude = ("by",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims change only through the claims pages (versioned and audited)."""

    list_display = ("id", "staff", "month", "claimed_amount", "status", "version")
    list_filter = ("status", "month")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
