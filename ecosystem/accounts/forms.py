from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _


class InvitationAcceptForm(forms.Form):
    """The invitee's name and password; role and scope come from the invitation only."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return data


class StaffTokenForm(forms.Form):
    """A new API token: its name, scope, the bank of an integration, and its lifetime."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. 'CRM lead import'."),
    )
    kind = forms.ChoiceField(label=_("Scope"), widget=forms.RadioSelect)
    bank = forms.TypedChoiceField(
        label=_("Bank (integration only)"), coerce=int, required=False, empty_value=None
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, banks=(), **kwargs):
        from django.conf import settings

        from ecosystem.accounts.models import StaffToken

        super().__init__(*args, **kwargs)
        self.banks = {bank.pk: bank for bank in banks}
        kinds = StaffToken.Kind.choices if self.banks else [StaffToken.Kind.choices[0]]
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = StaffToken.Kind.READ_ONLY
        self.fields["bank"].choices = [("", "—")] + [(pk, str(b)) for pk, b in self.banks.items()]
        days = self.fields["days"]
        days.max_value = settings.STAFF_TOKEN_MAX_DAYS
        days.validators.append(MaxValueValidator(settings.STAFF_TOKEN_MAX_DAYS))
        days.widget.attrs.update(min=1, max=settings.STAFF_TOKEN_MAX_DAYS)
        days.initial = settings.STAFF_TOKEN_DEFAULT_DAYS
        days.help_text = _("At most %(max)d days.") % {"max": settings.STAFF_TOKEN_MAX_DAYS}

    def clean(self):
        from ecosystem.accounts.models import StaffToken

        data = super().clean()
        if data.get("kind") == StaffToken.Kind.LEAD_FEED and data.get("bank") is None:
            self.add_error("bank", _("Choose the bank whose lead feed the integration reads."))
        return data

    @property
    def chosen_bank(self):
        return self.banks.get(self.cleaned_data.get("bank"))
