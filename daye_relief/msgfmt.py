"""Compiles a gettext catalogue (.po) into the binary form Django reads (.mo), in plain Python.

The project's own catalogue (locale/zh_Hans/LC_MESSAGES/django.po) gives Chinese to the few strings the
installed packages ship untranslated (django-axes has no Chinese at all). GNU msgfmt would need a Debian
package on every machine; this needs nothing. Both files are committed; `make messages` rebuilds the
.mo after an edit, and a test fails while the .mo is not the .po's.

    python -m daye_relief.msgfmt locale/zh_Hans/LC_MESSAGES/django.po
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (entries separated by blank lines, as msgmerge and makemessages write
    them); multi-line strings joined, escapes read as Python reads them."""
    entries: list[Entry] = []
    for block in text.split("\n\n"):
        entry = Entry()
        key: tuple[str, int] | None = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                value = ast.literal_eval(line)
            else:
                word, _, rest = line.partition(" ")
                value = ast.literal_eval(rest.strip())
                key = ("msgstr", int(word[7:-1])) if word.startswith("msgstr[") else (word, 0)
            if key is None:
                raise ValueError(f"unexpected line in a .po file: {raw!r}")
            name, index = key
            if name == "msgstr":
                entry.msgstr[index] = entry.msgstr.get(index, "") + value
            elif name == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif name == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif name == "msgid":
                entry.msgid += value
            else:
                raise ValueError(f"unknown keyword in a .po file: {raw!r}")
        if key is not None:
            entries.append(entry)
    return entries


def compile_mo(entries: list[Entry]) -> bytes:
    """The .mo bytes: translated, non-fuzzy entries only (the header always), keys sorted."""
    catalogue: dict[bytes, bytes] = {}
    for entry in entries:
        forms = [entry.msgstr.get(i, "") for i in range(max(entry.msgstr, default=-1) + 1)]
        if entry.msgid and (entry.fuzzy or not all(forms)):
            continue
        key = entry.msgid
        if entry.msgid_plural is not None:
            key += "\0" + entry.msgid_plural
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        catalogue[key.encode()] = "\0".join(forms).encode()
    keys = sorted(catalogue)
    header_size = 7 * 4
    originals_at = header_size
    translations_at = originals_at + 8 * len(keys)
    data_at = translations_at + 8 * len(keys)
    originals: list[tuple[int, int]] = []
    translations: list[tuple[int, int]] = []
    data = b""
    for original in keys:
        originals.append((len(original), data_at + len(data)))
        data += original + b"\0"
    for original in keys:
        value = catalogue[original]
        translations.append((len(value), data_at + len(data)))
        data += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), originals_at, translations_at, 0, data_at)
    out += b"".join(struct.pack("<2I", *pair) for pair in originals)
    out += b"".join(struct.pack("<2I", *pair) for pair in translations)
    return out + data


def main(argv: list[str]) -> int:
    for name in argv or ["locale/zh_Hans/LC_MESSAGES/django.po"]:
        po = Path(name)
        po.with_suffix(".mo").write_bytes(compile_mo(parse_po(po.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
