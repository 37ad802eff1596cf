"""Admin for platform administrators: users, memberships and staff invitations.

Only superusers may grant roles here; invitations are created through the service so
that scope rules, the audit trail and the email are the same as everywhere else.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecosystem.accounts import services
from ecosystem.accounts.models import Invitation, Membership, StaffToken, User
from ecosystem.accounts.roles import INVITABLE_ROLES, Role
from ecosystem.core.errors import ApplicationError


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class MembershipInline(SuperuserOnlyMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("role", "enterprise", "zone", "program", "bank", "branch", "is_active")
    autocomplete_fields = ("enterprise",)


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_superuser", "date_joined")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "is_superuser", "memberships__role")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "language")}),
        (_("Platform access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "role", "enterprise", "zone", "program", "bank", "branch", "is_active")
    # Every scope is a nullable foreign key, which the admin does not join by itself: a
    # page of 100 memberships cost 200 queries (issue #19's crawl).
    list_select_related = ("user", "enterprise", "zone", "program", "bank", "branch")
    list_filter = ("role", "is_active", "zone", "bank")
    search_fields = ("user__email", "enterprise__name", "enterprise__uscc")
    autocomplete_fields = ("user", "enterprise")


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("email", "role", "zone", "program", "bank", "branch")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = [
                (value, label) for value, label in Role.choices if value in INVITABLE_ROLES
            ]

    def clean(self):
        data = super().clean()
        try:
            services._scope_kwargs(
                role=data.get("role"),
                zone=data.get("zone"),
                program=data.get("program"),
                bank=data.get("bank"),
                branch=data.get("branch"),
            )
        except ApplicationError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        except KeyError as exc:
            raise ValidationError(_("Choose a staff role."), code="role") from exc
        return data


@admin.register(Invitation)
class InvitationAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    form = InvitationForm
    list_display = ("email", "role", "scope", "status", "invited_by", "created_at", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("email",)
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "email",
            "role",
            "zone",
            "program",
            "bank",
            "branch",
            "status",
            "invited_by",
            "expires_at",
            "accepted_at",
            "accepted_by",
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and obj is None

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created = services.invitation_create(
            invited_by=request.user,
            email=data["email"],
            role=data["role"],
            zone=data.get("zone"),
            program=data.get("program"),
            bank=data.get("bank"),
            branch=data.get("branch"),
        )
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    @admin.action(description=_("Revoke selected pending invitations"))
    def revoke(self, request, queryset):
        done = 0
        for invitation in queryset:
            try:
                services.invitation_revoke(invitation=invitation, actor=request.user)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{invitation}: {exc.message}", messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", done)
            % {"count": done},
        )


@admin.register(StaffToken)
class StaffTokenAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Staff API tokens, read-only: a platform admin sees who holds which and may revoke
    one (a lost laptop); only the owner creates tokens, on their tokens page."""

    list_display = ("name", "user", "kind", "bank", "prefix", "expires_at", "last_used_at")
    # the bank is a nullable key: the admin joins only non-null ones by itself (a query a row)
    list_select_related = ("user", "bank")
    list_filter = ("kind",)
    search_fields = ("name", "user__email", "prefix")
    readonly_fields = (
        "user",
        "name",
        "kind",
        "bank",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke selected API tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(token=token, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", len(queryset))
            % {"count": len(queryset)},
        )
