"""Resident ID numbers (公民身份号码) per GB 11643-1999: 6-digit region, 8-digit birth date,
3-digit sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


class InvalidIdNumber(ValueError):
    """Carries a message a clerk can read, in Chinese."""


@dataclass(frozen=True)
class IdInfo:
    number: str
    region_code: str
    birth_date: date
    sex: str  # "male" or "female"


def check_char(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError(f"check_char takes 17 digits, not {len(first17)}")
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def normalize(raw: str) -> str:
    """Strips spaces and takes a lower-case x as the check character X."""
    return "".join(raw.split()).upper()


def parse(raw: str, *, today: date | None = None) -> IdInfo:
    """Validates an ID number and reads its birth date and sex, or raises InvalidIdNumber."""
    number = normalize(raw)
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号码应为18位，现为{len(number)}位。")
    if not _SHAPE.match(number):
        raise InvalidIdNumber("身份证号码前17位应为数字，最后一位为数字或X。")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(f"身份证号码中的出生日期 {number[6:14]} 不是有效日期。") from None
    if birth.year < 1900 or (today is not None and birth > today):
        raise InvalidIdNumber(f"身份证号码中的出生日期 {birth.isoformat()} 不合理。")
    if number[17] != check_char(number[:17]):
        raise InvalidIdNumber("身份证号码校验位不正确，请核对每一位数字。")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except InvalidIdNumber:
        return False
    return True


def make(region_code: str, birth: date, sequence: int) -> str:
    """A valid number for the given region, birth date and 3-digit sequence (for demo data and tests)."""
    first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def mask(number: str) -> str:
    """First 6 and last 4 characters shown, the rest hidden: 420281********1234."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
