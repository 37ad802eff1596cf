"""Forms of the financing pages (they parse input; the rules live in services)."""

from ecosystem.financing.forms.applications import ApplyForm
from ecosystem.financing.forms.leads import (
    AssignForm,
    DeclineForm,
    DisbursementForm,
    LeadFilterForm,
    NoteForm,
    OfferForm,
)
from ecosystem.financing.forms.products import (
    LIST_FIELDS,
    CampaignCreateForm,
    FinancingForm,
    MatchFilterForm,
    ProductForm,
)

__all__ = [
    "LIST_FIELDS",
    "ApplyForm",
    "AssignForm",
    "CampaignCreateForm",
    "DeclineForm",
    "DisbursementForm",
    "FinancingForm",
    "LeadFilterForm",
    "MatchFilterForm",
    "NoteForm",
    "OfferForm",
    "ProductForm",
]
