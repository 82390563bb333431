"""Codes people type or carry — join codes, access codes, session tokens: drawn from an
alphabet that cannot be misread, and stored only as digests."""

from __future__ import annotations

import hashlib
import secrets

# 31 characters without 0/O, 1/I/L.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(raw: object) -> str:
    """The code as typed, upper-cased, without spaces or dashes (people type "abcd-1234")."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())


def digest(secret: str) -> str:
    """What is stored in place of a code or token (SHA-256, hex): enough for high-entropy
    secrets, and a lookup by equality stays an index lookup."""
    return hashlib.sha256(secret.encode()).hexdigest()
