"""Firm names compared as people read them, for lists that carry no credit code.

The name as published is kept for display; ``name_key`` is what two spellings of the same
name share: NFKC (full-width letters, digits and parentheses become plain), every space and
line break removed, punctuation inside unified. ``near_key`` further drops what two
registrations of one firm often differ in: a parenthesised place ("（北京）"), the company
form (有限公司 / 有限责任公司 / 股份有限公司) and a trailing 集团.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_DOTS = str.maketrans({"・": "·", "•": "·", "．": ".", "｡": "."})
_PARENTHESISED = re.compile(r"\([^()]*\)")
_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|股份公司|集团有限公司|集团公司|公司|集团|"
    r"co\.?,?ltd\.?|limited|ltd\.?|inc\.?|corp\.?|corporation)$",
    re.I,
)


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name or "")).translate(_DOTS)
    return _SPACE.sub("", text).lower()[:200]


def near_key(name: str) -> str:
    key = _PARENTHESISED.sub("", name_key(name))
    for _ in range(2):  # "…集团有限公司", "…股份有限公司"
        key = _FORMS.sub("", key)
    return key
