"""The query code of an online application (DESIGN §3.12): 6 characters, never stored — a keyed hash of the
application's number and nonce, so that neither the database alone nor the number alone gives it."""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

from .codes import CODE_ALPHABET, CODE_LENGTH
from .models import OnlineApplication

CODE_SALT = "online.query-code"


def query_code(online: OnlineApplication) -> str:
    """The application's 6-character code: a keyed hash of its number and nonce, in CODE_ALPHABET."""
    digest = salted_hmac(CODE_SALT, f"{online.number}:{online.code_nonce}", algorithm="sha256").digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        value, index = divmod(value, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def normalize_code(raw: str) -> str:
    return "".join(raw.split()).upper()


def code_matches(online: OnlineApplication, raw: str) -> bool:
    return constant_time_compare(query_code(online), normalize_code(raw))
