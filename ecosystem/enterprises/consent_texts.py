"""The consent texts enterprises agree to, by version. A new text gets a new version."""

from django.utils.translation import gettext_lazy as _

CURRENT_VERSION = "2026-11"

TEXTS = {
    "2026-11": _(
        "I authorise the bank named above to view this enterprise's profile, verified "
        "qualifications, yearly figures and contact details on KejinLink for the purpose "
        "stated, to contact the enterprise about financing, and to make offers. Every view "
        "by the bank is logged and shown to the enterprise. This consent can be revoked at "
        "any time; the bank then loses access at once."
    ),
}
