"""Pseudonymous user keys: HMAC-SHA256 of the Telegram user id with a secret key.

Analytics tables know a citizen only by this key; the chat id, needed to
write back, lives only in `users` (bot.store.conversations).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "pseudonym.key"


def load_pseudonym_key(data_dir: Path, configured: str | None = None) -> bytes:
    """The HMAC key: `configured` (MIGBOT_PSEUDONYM_KEY, read by bot.config) when set,
    else a random 256-bit key generated once into `data_dir/pseudonym.key` (mode 0600).

    Returns:
        the key as bytes.
    """
    if configured and configured.strip():
        return configured.strip().encode("utf-8")
    path = data_dir / KEY_FILE
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    # O_EXCL: if two processes start at once, only one key is ever written.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def pseudonymise(user_id: int, key: bytes) -> str:
    """The user's key: 64 hex characters, the same for the same id and key."""
    return hmac.new(key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()
