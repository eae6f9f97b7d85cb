"""Thumbnails (issue 19.5): an image scaled down, a PDF's first page drawn; served within scope, no-store."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.glossary import Role
from evidence.services import document_upload
from tests.factories import user_with_role

from . import files

pytestmark = pytest.mark.django_db


def _two_page_pdf() -> SimpleUploadedFile:
    out = io.BytesIO()
    first, second = Image.new("RGB", (595, 842), (200, 30, 30)), Image.new("RGB", (595, 842), (30, 30, 200))
    first.save(out, format="PDF", save_all=True, append_images=[second], resolution=72)
    return SimpleUploadedFile("病历.pdf", out.getvalue(), content_type="application/pdf")


def _upload(world, upload, kind="income_proof"):  # type: ignore[no-untyped-def]
    return document_upload(
        household=world.household_a1,
        kind=kind,
        source=upload,
        name=upload.name,
        acting_user=world.users["town_clerk"],
    )


def _picture(client: Client, pk: int) -> Image.Image:
    answer = client.get(f"/documents/{pk}/file/?thumb=1")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/jpeg"
    assert {"no-store", "private"} <= {part.strip() for part in answer["Cache-Control"].split(",")}
    assert answer["X-Content-Type-Options"] == "nosniff"
    return Image.open(io.BytesIO(b"".join(answer.streaming_content)))


def test_a_pdf_shows_its_first_page_and_an_image_a_small_copy(world) -> None:
    pdf = _upload(world, _two_page_pdf())
    photo = _upload(world, files.jpeg(name="收入.jpg"))
    client = Client()
    client.force_login(world.users["town_clerk"])
    page_one = _picture(client, pdf.pk)
    assert page_one.width == 320
    red, green, blue = page_one.convert("RGB").getpixel((160, 200))
    # The first page (red), not the second (blue).
    assert red > 150
    assert green < 80
    assert blue < 80
    small = _picture(client, photo.pk)
    assert small.size == (120, 80)  # never enlarged
    household = client.get(f"/households/{world.household_a1.pk}/").content.decode()
    assert f'src="/documents/{pdf.pk}/file/?thumb=1"' in household
    assert "查看 PDF" in household
    # Out of scope, the thumbnail is as missing as the file.
    other = Client()
    other.force_login(user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b"))
    assert other.get(f"/documents/{pdf.pk}/file/?thumb=1").status_code == 404


def test_a_health_document_thumbnail_is_not_for_village_staff(world) -> None:
    proof = _upload(world, _two_page_pdf(), kind="illness_proof")
    village = Client()
    village.force_login(world.users["village_staff"])
    assert village.get(f"/documents/{proof.pk}/file/?thumb=1").status_code == 404
    assert (
        f"/documents/{proof.pk}/" not in village.get(f"/households/{world.household_a1.pk}/").content.decode()
    )
