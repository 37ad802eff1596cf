"""The chains app's codes in people's words (``core.labels``)."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from ecosystem.chains.models import Segment, SupplierLink
    from ecosystem.core import labels

    labels.register("segment", Segment)
    labels.register("supplier_link_status", SupplierLink.Status)
    labels.register_audit_family("chain.link_", _("supplier link"), SupplierLink.Status)
    labels.register_audit_verbs(
        {
            "chain.placement_corrected": _("chain placement corrected by the zone"),
            "chain.leader_designated": _("chain leader designated"),
            "chain.leader_ended": _("chain leadership ended"),
        }
    )
