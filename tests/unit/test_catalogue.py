"""The translation catalogue: ``msgfmt --check-format`` passes on both languages, no
word with two meanings in this portal is used without a context where the other meaning
is, and allauth's misleading Chinese on the two-factor page is replaced by ours."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("zh_Hans", "en")]
ZH = CATALOGUES[0]

#: Words this portal uses with two meanings. Without a context (``pgettext``) a word may
#: be used only in the files of its one plain meaning; each other meaning has a context.
AMBIGUOUS = {
    "to": {
        "plain": {"ecosystem/financing/models/offers.py"},  # a status change's new status
        "contexts": {"end of a date range"},
    },
    "new": {
        "plain": {"templates/registries/imports/index.html"},  # entries new in a list
        "contexts": {"lead status"},
    },
    "withdrawn": {
        "plain": {
            "ecosystem/registries/models.py",  # an entry no longer on the official list
            "templates/registries/imports/index.html",
            "templates/registries/lists/reconciliation.html",
        },
        "contexts": {"request status"},
    },
}


def entries(path: Path) -> list[dict]:
    """(context, msgid, source files) of each live entry of a .po file."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if block.startswith("#~"):
            continue
        fields, sources, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#: "):
                sources |= {ref.rsplit(":", 1)[0] for ref in line[3:].split()}
                continue
            head = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if head:
                current = head.group(1)
                fields[current] = json.loads(head.group(2))
            elif line.startswith('"') and current:
                fields[current] += json.loads(line)
        if "msgid" in fields:
            found.append({"ctx": fields.get("msgctxt"), "id": fields["msgid"], "files": sources})
    return found


def test_the_parser_reads_contexts_and_sources():
    found = {(e["ctx"], e["id"]) for e in entries(ZH)}
    assert ("end of a date range", "to") in found and (None, "to") in found


@pytest.mark.parametrize("word", sorted(AMBIGUOUS))
def test_no_word_with_two_meanings_is_used_without_a_context(word):
    rule = AMBIGUOUS[word]
    plain = [e for e in entries(ZH) if e["id"] == word and e["ctx"] is None]
    stray = sorted(f for e in plain for f in e["files"] - rule["plain"])
    contexts = {e["ctx"] for e in entries(ZH) if e["id"] == word and e["ctx"]}
    assert stray == [], f"give {word!r} a context (pgettext) in these files"
    assert rule["contexts"] <= contexts


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-3])
def test_msgfmt_check_format_passes(catalogue):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_two_factor_page_says_the_code_is_wrong_not_an_error_code():
    with translation.override("zh-hans"):
        assert gettext("Incorrect code.") == "验证码不正确。"
        assert gettext("Recovery codes") == "恢复码"
        assert "错误代码" not in {gettext("Incorrect code."), gettext("Recovery Codes")}
