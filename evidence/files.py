"""Checking an uploaded file before it is stored (DESIGN §3.11): its type decided by its content, never its
name; at most 20 MB; images re-encoded by Pillow (which drops whatever hides after the image data) with
their location data removed, except on the photos whose time and place are the evidence; HEIC/HEIF photos
from phones converted to JPEG; PDFs refused when they carry JavaScript, a launch action or embedded files.
The file is read in chunks and written to a spooled temporary file, so memory does not grow with it."""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

import filetype
import pypdfium2
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from daye_relief.errors import ErrorCode, InvalidInput

from .codes import ACCEPTED, MAX_BYTES

register_heif_opener()

CHUNK = 1024 * 1024
SPOOL = 4 * 1024 * 1024  # kept in memory up to this size, then on disk
# Names a PDF carries when it runs code or holds files (also inside unpacked object streams, see _pdf).
_PDF_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
_EXIF_GPS = 0x8825
_EXIF_IFD = 0x8769
_DATE_ORIGINAL = 0x9003
_DATE_TIME = 0x0132
_ORIENTATION = 0x0112

TYPE_MESSAGE = (
    "文件类型不符：只接受 PDF、JPEG、PNG 或手机拍摄的 HEIC/HEIF 照片（按文件内容判断，不看扩展名）。"
)


class FileRefused(InvalidInput):
    """A file that may not be stored: the code says why (bad_file_type, file_too_large, unsafe_pdf)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code, field="file")


@dataclass
class CheckedFile:
    """The file as it will be stored, positioned at its start."""

    content: IO[bytes]
    content_type: str
    suffix: str
    size: int
    sha256: str
    taken_at: datetime | None = None
    location: str = ""  # "纬度,经度" in decimal degrees, only where kept


def check_file(source: IO[bytes], *, keep_place: bool) -> CheckedFile:
    """The file to store, or FileRefused with the Chinese reason."""
    size = _size(source)
    if size == 0:
        raise FileRefused("文件是空的。", code=ErrorCode.EMPTY_FILE)
    if size > MAX_BYTES:
        raise FileRefused(
            f"文件过大：{size / 1024 / 1024:.1f} MB，每个文件不能超过 {MAX_BYTES // 1024 // 1024} MB。",
            code=ErrorCode.FILE_TOO_LARGE,
        )
    source.seek(0)
    head = source.read(262)
    source.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else ""
    if mime not in ACCEPTED:
        raise FileRefused(TYPE_MESSAGE, code=ErrorCode.BAD_FILE_TYPE)
    if mime == "application/pdf":
        return _pdf(source)
    return _image(source, mime, keep_place=keep_place)


def _size(source: IO[bytes]) -> int:
    known = getattr(source, "size", None)
    if isinstance(known, int):
        return known
    source.seek(0, 2)
    end = source.tell()
    source.seek(0)
    return end


def _spool() -> Any:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)


def _finish(out: Any, content_type: str, suffix: str, **facts: Any) -> CheckedFile:
    digest = hashlib.sha256()
    out.seek(0)
    size = 0
    while chunk := out.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    return CheckedFile(out, content_type, suffix, size, digest.hexdigest(), **facts)


# --- PDF -------------------------------------------------------------------------------------------


def _pdf(source: IO[bytes]) -> CheckedFile:
    out = _spool()
    tail = b""
    while chunk := source.read(CHUNK):
        window = tail + chunk
        if any(marker in window for marker in _PDF_MARKERS):
            raise _unsafe()
        tail = window[-16:]
        out.write(chunk)
    out.seek(0)
    try:
        reader = PdfReader(out)
        if reader.is_encrypted:
            raise FileRefused(
                "PDF 文件已加密，无法检查其内容，请上传未加密的文件。", code=ErrorCode.UNSAFE_PDF
            )
        root: Any = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        if names is not None and any(key in names.get_object() for key in ("/JavaScript", "/EmbeddedFiles")):
            raise _unsafe()
        if _runs_code(root.get("/OpenAction")) or "/AA" in root:
            raise _unsafe()
        for page in reader.pages:
            if "/AA" in page:
                raise _unsafe()
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") == "/FileAttachment" or _runs_code(annotation.get("/A")):
                    raise _unsafe()
    except FileRefused:
        raise
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise FileRefused(
            "PDF 文件已损坏，无法打开，请重新扫描或导出后上传。", code=ErrorCode.BAD_FILE_TYPE
        ) from exc
    return _finish(out, "application/pdf", ".pdf")


def _runs_code(action: Any) -> bool:
    """Whether a PDF action runs a script or launches a program (a view setting is harmless)."""
    if action is None:
        return False
    action = action.get_object()
    return hasattr(action, "get") and action.get("/S") in ("/JavaScript", "/Launch")


def _unsafe() -> FileRefused:
    return FileRefused(
        "PDF 文件含有脚本、自动操作或附件，不能上传；请打印后重新扫描，或另存为普通 PDF。",
        code=ErrorCode.UNSAFE_PDF,
    )


# --- images ----------------------------------------------------------------------------------------

IMAGE_MESSAGE = "图片无法读取，请重新拍摄或另存后上传。"


def _image(source: IO[bytes], mime: str, *, keep_place: bool) -> CheckedFile:
    try:
        image = Image.open(source)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise FileRefused(IMAGE_MESSAGE, code=ErrorCode.BAD_FILE_TYPE) from exc
    with image:
        try:
            image.load()
            exif = image.getexif()
            # The orientation baked in, so that no viewer turns it; in place: a 12-megapixel photo's
            # bitmap is 34 MiB, and a copy would double it.
            ImageOps.exif_transpose(image, in_place=True)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise FileRefused(IMAGE_MESSAGE, code=ErrorCode.BAD_FILE_TYPE) from exc
        return _reencoded(image, exif, as_png=mime == "image/png", keep_place=keep_place)


def _reencoded(image: Image.Image, exif: Image.Exif, *, as_png: bool, keep_place: bool) -> CheckedFile:
    taken_at = _taken_at(exif)
    location = _location(exif) if keep_place else ""
    out = _spool()
    kept: dict[str, Any] = {}
    if keep_place and len(exif):
        exif[_ORIENTATION] = 1
        kept["exif"] = exif.tobytes()
    if as_png:
        image.save(out, format="PNG", optimize=False, **kept)
        return _finish(out, "image/png", ".png", taken_at=taken_at, location=location)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(out, format="JPEG", quality=90, **kept)
    return _finish(out, "image/jpeg", ".jpg", taken_at=taken_at, location=location)


def _taken_at(exif: Image.Exif) -> datetime | None:
    text = exif.get_ifd(_EXIF_IFD).get(_DATE_ORIGINAL) or exif.get(_DATE_TIME)
    try:
        return datetime.strptime(str(text), "%Y:%m:%d %H:%M:%S") if text else None  # noqa: DTZ007
    except ValueError:
        return None


def _location(exif: Image.Exif) -> str:
    gps = exif.get_ifd(_EXIF_GPS)
    try:
        latitude = _degrees(gps[2], gps.get(1, "N"))
        longitude = _degrees(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return ""
    return f"{latitude:.6f},{longitude:.6f}"


def _degrees(parts: Any, ref: str) -> float:
    degrees, minutes, seconds = (float(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).upper() in ("S", "W") else value


# --- thumbnails --------------------------------------------------------------------------------------

THUMB_WIDTH = 320  # CSS pixels 160, twice for a sharp picture on a phone's screen


def thumbnail(checked: CheckedFile) -> bytes | None:
    """A small JPEG of the stored file, for the pages' lists: an image scaled down, a PDF's first page
    drawn by PDFium (no script runs: pypdfium2 starts no form environment). None when it cannot be drawn;
    the page then links the file by its name."""
    checked.content.seek(0)
    try:
        if checked.content_type == "application/pdf":
            image = _first_page(checked.content)
        else:
            with Image.open(checked.content) as opened:
                opened.draft("RGB", (THUMB_WIDTH * 2, THUMB_WIDTH * 2))  # a JPEG decodes at a smaller scale
                image = opened.convert("RGB")
        image.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80)
        return out.getvalue()
    except Exception:
        return None
    finally:
        checked.content.seek(0)


def _first_page(content: IO[bytes]) -> Image.Image:
    document = pypdfium2.PdfDocument(content)
    try:
        page = document[0]
        width = page.get_width() or 595
        bitmap = page.render(scale=THUMB_WIDTH / width)
        image = bitmap.to_pil()
        page.close()
        return image
    finally:
        document.close()
