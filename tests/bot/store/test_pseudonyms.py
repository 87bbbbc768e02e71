"""Pseudonymous user keys and the key they are made with."""

from __future__ import annotations

import stat

from bot.store import load_pseudonym_key, pseudonymise


def test_pseudonym_key_is_generated_once_with_private_permissions(tmp_path) -> None:
    key = load_pseudonym_key(tmp_path)
    assert load_pseudonym_key(tmp_path) == key
    mode = stat.S_IMODE((tmp_path / "pseudonym.key").stat().st_mode)
    assert mode == 0o600
    assert load_pseudonym_key(tmp_path, "abc") == b"abc"


def test_pseudonyms_are_stable_and_keyed() -> None:
    assert pseudonymise(42, b"k1") == pseudonymise(42, b"k1")
    assert pseudonymise(42, b"k1") != pseudonymise(42, b"k2")
    assert "42" not in pseudonymise(42, b"k1")
