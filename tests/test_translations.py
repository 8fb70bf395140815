"""The interface is Swedish: every message in the Swedish catalogue has its translation."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[dict]:
    """(flags, msgid, msgstr…) of each entry of a .po file; enough of the format for this check."""
    found = []
    for block in text.split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        strings: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                strings[key] = match.group(2)
            elif line.startswith('"') and key:
                strings[key] += line[1:-1]
        if strings.get("msgid"):
            found.append({"flags": flags, **strings})
    return found


def test_it_translates_every_message_into_swedish():
    catalogue = entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(catalogue) > 500
    untranslated = [
        entry["msgid"]
        for entry in catalogue
        if not any(value for key, value in entry.items() if key.startswith("msgstr"))
        or "fuzzy" in entry["flags"]
    ]
    assert untranslated == []


def test_it_has_a_compiled_catalogue_beside_it():
    assert CATALOGUE.with_suffix(".mo").stat().st_size > 10_000
