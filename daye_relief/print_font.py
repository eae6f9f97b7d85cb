"""The printed forms' face (issue 12 goal 4): Noto Serif CJK SC Regular cut down to the characters a form
uses in practice (ASCII, Latin-1, punctuation, full-width forms and the 6,763 characters of GB 2312), one
face and one weight.

Why: WeasyPrint keeps each glyph's id when it embeds a subset, so a subset of the full 65,000-glyph CJK
font carries every id up to the highest one used (≈700 KB a face before compression, 140 KB after, per
face and weight). From this 7,800-glyph face the same page embeds ≈80 KB before compression. A character
outside it (a rare character in a name) falls back to the full Noto Serif CJK SC: the page is right, only
bigger.

Built once, at install (`make install`, the Dockerfile) or by the first test that needs it:
`python -m daye_relief.print_font [PATH]`. Without it the forms print with the full font as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FAMILY = "Noto Serif CJK SC Subset"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SOURCE_INDEX = 2  # the SC face of the collection (its name table says so; checked in build())
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "var" / "fonts" / "NotoSerifCJKsc-Regular-subset.otf"


def font_path() -> Path:
    return Path(os.environ.get("PRINT_FONT_PATH") or DEFAULT_PATH)


def characters() -> set[int]:
    found = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    found |= set(range(0x2000, 0x2070)) | set(range(0x2100, 0x2200)) | set(range(0x2460, 0x24A0))
    found |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((first, second)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def build(path: Path | None = None) -> Path:
    """Writes the face (atomically) and returns its path."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target = path or font_path()
    font = TTFont(str(SOURCE), fontNumber=SOURCE_INDEX, lazy=True)
    family = next(n.toUnicode() for n in font["name"].names if n.nameID == 1)
    if family != "Noto Serif CJK SC":
        raise RuntimeError(f"{SOURCE} face {SOURCE_INDEX} is {family}, not Noto Serif CJK SC")
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    font.save(str(partial))
    partial.replace(target)
    return target


def stylesheet_text() -> str | None:
    """The @font-face rule that makes FAMILY available to WeasyPrint, or None when it was not built."""
    path = font_path()
    if not path.is_file():
        return None
    return f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.as_uri()}"); }}'


if __name__ == "__main__":
    built = build(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    sys.stdout.write(f"{built} ({built.stat().st_size // 1024} KB)\n")
