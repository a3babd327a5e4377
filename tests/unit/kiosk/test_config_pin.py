"""`admin.pin_hash` is checked when the configuration loads: a hash `verify_pin` could not use is a
ConfigError naming the key path and the reason (not a PIN pad that never opens); demo = true without a
hash takes the documented demo PIN 2580."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from kiosk.config import (
    DEMO_ADMIN_PIN,
    DEMO_PIN_HASH,
    ConfigError,
    hash_pin,
    load_config,
    parse_config,
    parse_pin_hash,
    verify_pin,
)

SALT = base64.b64encode(b"sixteen-byte-slt").decode()
DIGEST = base64.b64encode(bytes(range(32))).decode()


def _hash(n="16384", r="8", p="1", salt=SALT, digest=DIGEST) -> str:
    return f"scrypt${n}${r}${p}${salt}${digest}"


# Each of these matched the old pattern check, loaded, and left a pad that refused every PIN.
MALFORMED = [
    (_hash(salt="abc"), "the salt part is not valid base64"),
    (_hash(digest="abcde"), "the hash part is not valid base64"),
    (_hash(salt="AA=A"), "the salt part is not valid base64"),
    (_hash(n="16383"), "N = 16383 is not a power of 2"),
    (_hash(n="1"), "N = 1 is not a power of 2"),
    (_hash(n="0"), "N = 0 is not a power of 2"),
    (_hash(r="0"), "r and p must be at least 1"),
    (_hash(p="0"), "r and p must be at least 1"),
    (_hash(n="65536", r="1"), "too large for r = 1"),
    (_hash(n="1048576"), "too much memory or time"),
    (_hash(p="100"), "too much memory or time"),
    (_hash(n=str(2**64)), "too much memory or time"),
    (_hash(digest=base64.b64encode(b"\x01\x02\x03\x04").decode()), "the hash part is 4 bytes, fewer than 16"),
]


@pytest.mark.parametrize(("pin_hash", "reason"), MALFORMED)
def test_a_malformed_pin_hash_is_a_config_error_with_the_key_path(pin_hash, reason):
    with pytest.raises(ConfigError) as caught:
        parse_config({"admin": {"pin_hash": pin_hash}}, source="kiosk.toml")
    message = str(caught.value)
    assert message.startswith("kiosk.toml: admin.pin_hash: ")
    assert reason in message and "kiosk keys hash-pin" in message
    assert not verify_pin("2580", pin_hash), "verify_pin says no instead of raising"


@pytest.mark.parametrize("pin_hash", [
    hash_pin("2580", salt=b"sixteen-byte-slt"),
    _hash(n="2", r="1", p="1"),
    _hash(n="32768", r="1", p="1"),
    _hash(n="1024", r="8", p="16"),
])
def test_every_hash_the_config_takes_can_be_checked(pin_hash):
    parse_config({"admin": {"pin_hash": pin_hash}})
    assert isinstance(verify_pin("2580", pin_hash), bool), "hashlib.scrypt takes every accepted hash"


def test_the_hash_hash_pin_writes_parses():
    n, r, p, salt, digest = parse_pin_hash(hash_pin("123456", salt=b"sixteen-byte-slt"))
    assert (n, r, p, salt, len(digest)) == (16384, 8, 1, b"sixteen-byte-slt", 32)


def test_a_malformed_hash_in_a_file_stops_kiosk_run_in_one_line(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'demo = false\n[admin]\npin_hash = "{_hash(salt="abc")}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"admin\.pin_hash: .*salt part is not valid base64"):
        load_config(config)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "run", "--config", str(config)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "admin.pin_hash" in result.stderr and "base64" in result.stderr and "Traceback" not in result.stderr


def test_the_demo_pin_hash_is_the_demo_pin():
    assert hash_pin(DEMO_ADMIN_PIN, salt=b"miaoban-demo-pin") == DEMO_PIN_HASH
    assert DEMO_ADMIN_PIN == "2580" and verify_pin("2580", DEMO_PIN_HASH)


@pytest.mark.parametrize("data", [{"demo": True}, {"demo": True, "admin": {}}])
def test_demo_without_a_hash_takes_the_demo_pin(data):
    config = parse_config(data)
    assert config.admin.pin_hash == DEMO_PIN_HASH and verify_pin("2580", config.admin.pin_hash)


def test_demo_with_a_hash_of_its_own_keeps_it_and_no_demo_still_needs_one():
    own = hash_pin("97531", salt=b"sixteen-byte-slt")
    assert parse_config({"demo": True, "admin": {"pin_hash": own}}).admin.pin_hash == own
    with pytest.raises(ConfigError, match=r"admin\.pin_hash is required"):
        parse_config({"demo": False})
    with pytest.raises(ConfigError, match="demo: Input should be a valid boolean"):
        parse_config({"demo": "maybe"})
