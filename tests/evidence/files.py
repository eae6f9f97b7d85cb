"""Files for the evidence tests, made here (no real person's document)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def jpeg(*, gps: bool = False, name: str = "photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (120, 80), "steelblue")
    exif = Image.Exif()
    exif[0x0132] = "2026:11:20 09:30:00"
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 6.0, 36.0), 3: "E", 4: (114.0, 58.0, 48.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def heic(name: str = "IMG_0001.HEIC") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="HEIF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/heic")


def pdf(*, javascript: bool = False, attachment: bool = False, name: str = "proof.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:  # an open action that runs a script
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if attachment:
        writer.add_attachment("hidden.txt", b"secret")
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def script_as_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n" * 20, content_type="image/jpeg")


def zip_as_jpg() -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "x" * 300)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def big_pdf(*, megabytes: int) -> bytes:
    """A valid PDF of about this size (one page with a long, harmless content stream)."""
    from pypdf.generic import ContentStream, DecodedStreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"0 0 1 1 re f\n" * (megabytes * 1024 * 1024 // 13 + 1))
    page[NameObject("/Contents")] = writer._add_object(ContentStream(stream, writer))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
