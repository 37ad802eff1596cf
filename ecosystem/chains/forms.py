"""Forms of the chain pages: they parse input; the rules live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.chains import selectors
from ecosystem.chains.models import Chain, ChainNode
from ecosystem.core.forms import BootstrapForm
from ecosystem.core.uscc import normalize_uscc


class NodesForm(BootstrapForm):
    nodes = forms.TypedMultipleChoiceField(
        label=_("Chain nodes"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 16}),
        help_text=_("Choose every node your business works on; hold Ctrl to pick several."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nodes"].choices = selectors.node_pk_choices()

    def chosen_nodes(self):
        return list(ChainNode.objects.filter(pk__in=self.cleaned_data["nodes"]))


class CreditCodeField(forms.CharField):
    def to_python(self, value):
        return normalize_uscc(super().to_python(value) or "")


class LinkRequestForm(BootstrapForm):
    """A supplier asks a leader to confirm it."""

    leader = forms.ModelChoiceField(label=_("Chain leader"), queryset=None, empty_label="—")
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = selectors.leaders_active().exclude(enterprise=enterprise)
        self.fields["leader"].label_from_instance = lambda leader: (
            f"{leader.enterprise.name} · {leader.chain.name} · {leader.enterprise.zone}"
        )


class LinkInviteForm(BootstrapForm):
    """A leader invites a supplier by its credit code."""

    leader = forms.ModelChoiceField(label=_("As leader of"), queryset=None, empty_label=None)
    supplier_uscc = CreditCodeField(label=_("Supplier's unified social credit code"), max_length=24)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = selectors.leaderships_of(enterprise=enterprise)
        self.fields["leader"].label_from_instance = lambda leader: leader.chain.name


class DesignateForm(BootstrapForm):
    chain = forms.ModelChoiceField(label=_("Chain"), queryset=Chain.objects.all(), empty_label="—")
    uscc = CreditCodeField(label=_("Unified social credit code"), max_length=24)
