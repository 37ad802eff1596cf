"""``core.forms.BootstrapForm``: one home for the portal's form classes and choice lists."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.core.forms import BootstrapForm
from ecosystem.zones.models import Zone
from tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


class _Form(BootstrapForm):
    zone = forms.ModelChoiceField(queryset=Zone.objects.order_by("pk"), required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    agree = forms.BooleanField(required=False)
    name = forms.CharField(max_length=5)


def test_model_choices_are_one_plain_query_not_a_server_side_cursor():
    zones = [ZoneFactory(), ZoneFactory()]
    form = _Form()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["zone"])
    assert len(queries) == 1
    assert not queries.captured_queries[0]["sql"].lstrip().upper().startswith("DECLARE")
    for zone in zones:
        assert f'<option value="{zone.pk}">' in html


def test_widgets_get_bootstrap_classes_and_errors_mark_the_field():
    form = _Form(data={"kind": "z", "name": "too long"})
    assert not form.is_valid()
    assert form.fields["zone"].widget.attrs["class"] == "form-select"
    assert form.fields["agree"].widget.attrs["class"] == "form-check-input"
    assert form.fields["kind"].widget.attrs["class"].split() == ["form-check-input", "is-invalid"]
    assert form.fields["name"].widget.attrs["class"].split() == ["form-control", "is-invalid"]
    assert 'value="too long"' in str(form["name"])  # what was typed stays
