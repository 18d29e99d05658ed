"""Django admin for administrators: users (with role and scope) and a read-only audit log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from openpcn.data.accounts.models import ApiToken, AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "scope_code", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "scope_code")
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],
        ("Role and scope", {"fields": ("role", "scope_code")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "role", "scope_code")}),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_id", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("user", "name", "key_id", "secret_hash", "created_at", "last_used_at")
    exclude = ()

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Viewable and filterable; no add, change or delete path."""

    list_display = ("at", "username", "role", "action", "object_type", "object_id", "outcome")
    list_filter = ("action", "outcome", "role")
    search_fields = ("username", "object_id", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
