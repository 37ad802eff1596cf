"""Messages stored as a key and arguments, rendered in the reader's language.

A notification's title and body are ``msg(gettext_noop("%(product)s request: %(status)s"),
product=bilingual(product), status=code_label("lead_status", lead.status))``: the message
id (the English source text, which ``makemessages`` collects from ``gettext_noop``) and its
arguments are stored, and each time the notification is shown it is translated into the
language of whoever reads it. Arguments are JSON: plain text and numbers (a name, a
reason a person typed) stay as they are; ``bilingual(obj)`` keeps both names of reference
data; ``code_label(kind, code)`` is a code put in words (``core.labels``); ``money(x)``
an amount in yuan. A row stored before keys existed has no key and shows its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Message:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": self.params}

    def __str__(self) -> str:
        return render({"key": self.key, "params": self.params})


def msg(key: str, /, **params) -> Message:
    """A message to store: ``key`` is a ``gettext_noop`` text with ``%(name)s`` places."""
    return Message(key, params)


def bilingual(obj) -> dict[str, str]:
    """Both names of reference data (``BilingualNameMixin``): each reader gets theirs."""
    return {"zh": obj.name_zh, "en": obj.name_en or obj.name_zh}


def code_label(kind: str, code: str) -> dict[str, str]:
    return {"label": kind, "code": str(code)}


def money(amount) -> dict[str, str]:
    return {"money": str(amount)}


def _argument(value) -> Any:
    if not isinstance(value, dict):
        return value
    if "label" in value:
        from ecosystem.core.labels import label

        return label(value["label"], value.get("code", ""))
    if "money" in value:
        from ecosystem.core.templatetags.money import wan_yuan_text

        try:
            return wan_yuan_text(Decimal(value["money"]))
        except (InvalidOperation, TypeError, ValueError):
            return value["money"]
    if "key" in value:
        return render(value)
    language = (get_language() or "zh-hans").lower()
    if language.startswith("en"):
        return value.get("en") or value.get("zh", "")
    return value.get("zh") or value.get("en", "")


def render(message: dict | None) -> str:
    """A stored message (``{"key": …, "params": …}``) in the active language."""
    if not message or not message.get("key"):
        return ""
    text = _(message["key"])
    params = message.get("params") or {}
    if not params:
        return text
    try:
        return text % {name: _argument(value) for name, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return text
