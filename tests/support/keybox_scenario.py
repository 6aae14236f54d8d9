"""A product-made keybox for the recovery reader's tests: every key state, files sealed
under several keys, and the key material the product itself hands out for each key.

`build(cli, keybox_args, folder, passphrase)` drives the in-process command line (the
`cli` fixture) against a keybox (`()` for the default SQLite file, or
`("--keybox", URL)`), and reads the product's own material through `Keybox.resolve` and
`Keybox.recipient` while each key can still open files, before it is disabled, scheduled
for destruction or destroyed.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.location import resolve_url


@dataclass
class Scenario:
    url: str
    keybox_id: str = ""
    # key_id -> the product's material (32 bytes), read while the key could open files
    material: dict[str, bytes] = field(default_factory=dict)
    # key_id -> state at the end ("enabled", "disabled", "pending_destruction", "destroyed")
    states: dict[str, str] = field(default_factory=dict)
    # sealed file -> (key_id it was sealed under, plaintext)
    sealed: dict[Path, tuple[str, bytes]] = field(default_factory=dict)
    # SQLite: a copy of the keybox file made just before the destructions
    before_destroy: Path | None = None

    def key_of(self, profile: str, version: int) -> str:
        return self.versions[(profile, version)]

    versions: dict[tuple[str, int], str] = field(default_factory=dict)


def _ok(result: Any) -> Any:
    assert result.code == 0, result.err
    return result


def _keys(cli: Any, kb: tuple[str, ...]) -> list[dict[str, Any]]:
    return json.loads(_ok(cli(*kb, "key", "list", "--json")).out)  # type: ignore[no-any-return]


def _product_material(url: str, passphrase: str, scenario: Scenario) -> None:
    """What the product hands out: resolve() for every key that opens, and recipient()
    for each profile's primary (the same bytes as resolve() of that key)."""
    box = Keybox.open(url)
    try:
        box.unlock(passphrase)
        scenario.keybox_id = box.keybox_id
        for info in box.keys():  # noqa: SIM118 - Keybox.keys() is a query, not a dict
            if info.state.value != "enabled" or info.key_id in scenario.material:
                continue
            got = box.resolve(bytes.fromhex(info.profile_id), bytes.fromhex(info.key_id))
            assert got is not None
            scenario.material[info.key_id] = got
            if info.primary:
                recipient = box.recipient(info.profile)
                assert recipient.key_id.hex() == info.key_id
                assert recipient.key == got
    finally:
        box.close()


def build(cli: Any, kb: tuple[str, ...], folder: Path, passphrase: str) -> Scenario:
    """acme: v1 (pending destruction), v2 (disabled), v3 (primary, enabled); beta, renamed
    gamma, rotation every 30 days: v1 (destroyed), v2 (primary). A file sealed under each
    key, one of them several chunks long, one empty, one rewrapped from v1 to v2."""
    url = resolve_url(kb[1] if kb else None)
    scenario = Scenario(url)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0

    def seal(profile: str, plain: bytes) -> Path:
        nonlocal n
        n += 1
        path = folder / f"file{n}.txt"
        path.write_bytes(plain)
        _ok(cli(*kb, "seal", "--profile", profile, str(path)))
        path.unlink()
        sealed = path.with_name(path.name + ".vault")
        key = next(k for k in _keys(cli, kb) if k["profile"] == profile and k["primary"])
        scenario.sealed[sealed] = (key["key_id"], plain)
        return sealed

    _ok(cli(*kb, "profile", "create", "acme"))
    _ok(cli(*kb, "profile", "create", "beta", "--rotate-every", "30"))
    seal("acme", b"acme version 1\n")
    seal("acme", os.urandom(200_000))  # four 64 KiB chunks
    moved = seal("acme", b"rewrapped from version 1 to version 2")
    _ok(cli(*kb, "key", "rotate", "--profile", "acme"))
    _ok(cli(*kb, "rewrap", str(moved)))
    seal("acme", b"")
    _ok(cli(*kb, "key", "rotate", "--profile", "acme"))
    seal("acme", b"acme version 3\n")
    seal("beta", b"beta version 1: lost when it is destroyed\n")
    _ok(cli(*kb, "key", "rotate", "--profile", "beta"))
    seal("beta", "beta version 2, UTF-8: é ü ✓\n".encode())
    _ok(cli(*kb, "profile", "rename", "beta", "gamma"))
    versions = {(k["profile"], k["version"]): k["key_id"] for k in _keys(cli, kb)}
    scenario.versions = versions
    scenario.sealed[moved] = (versions[("acme", 2)], scenario.sealed[moved][1])
    _product_material(url, passphrase, scenario)

    if not kb:
        scenario.before_destroy = folder / "before-destroy.sqlite"
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        target = sqlite3.connect(scenario.before_destroy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    _ok(cli(*kb, "key", "disable", versions[("acme", 2)]))
    _ok(cli(*kb, "key", "destroy", versions[("acme", 1)], "--after", "3"))
    _ok(cli(*kb, "key", "destroy", versions[("gamma", 1)], "--after", "0", "--yes"))
    scenario.states = {k["key_id"]: k["state"] for k in _keys(cli, kb)}
    assert sorted(scenario.states.values()) == ["destroyed", "disabled", "enabled", "enabled",
                                                "pending_destruction"]
    return scenario
