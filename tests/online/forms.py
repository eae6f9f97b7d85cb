"""The online application's form data as a family's browser sends it, and files to send with it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from households.idnumbers import make

APPLICANT_ID = make("420281", date(1958, 3, 14), 21)
SPOUSE_ID = make("420281", date(1960, 7, 2), 42)


def apply_form(village: Any, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "village": str(village.pk),
        "phone": "13907140001",
        "situation": "老伴患病住院，家中无劳动力，收入很少。",
        "asked": ["dibao"],
        "commitment": "on",
        "commitment_name": "柯秋生",
        "homepage": "",
        "m-TOTAL_FORMS": "6",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "12",
        "h-hukou_type": "rural",
        "h-financial_assets": "0",
        "h-motor_vehicles": "0",
        "h-motor_vehicle_value": "0",
        "h-houses": "1",
        "h-medical": "8000",
        "h-education": "0",
        "h-other": "0",
        "m-0-name": "柯秋生",
        "m-0-id_number": APPLICANT_ID,
        "m-0-relation": "applicant",
        "m-0-labor_capacity": "none",
        "m-0-annual_income": "3600",
        "m-0-lives_together": "on",
        "m-0-shares_finances": "on",
        "m-1-name": "王桂兰",
        "m-1-id_number": SPOUSE_ID,
        "m-1-relation": "spouse",
        "m-1-labor_capacity": "none",
        "m-1-annual_income": "0",
        "m-1-lives_together": "on",
        "m-1-shares_finances": "on",
        "m-1-serious_illness": "on",
    }
    for i in range(2, 6):
        data.update({f"m-{i}-labor_capacity": "full", f"m-{i}-annual_income": "0"})
    data.update(fields)
    return data


def photo(name: str = "身份证.jpg", size: tuple[int, int] = (640, 480)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def not_a_picture(name: str = "病历.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is a program, not a photo", content_type="image/jpeg")
