"""AWS KMS slots against two real KMS endpoints (moto servers on loopback standing for
two regions), through the real command line.

A keybox with a passphrase slot and one KMS slot per region must unlock with KMS alone,
keep unlocking when one region goes away, fail fast with exit code 5 and every slot's
reason when both are gone, and still open with the passphrase. The OS keyring slot wrapped
by KMS must keep only a KMS ciphertext in the keyring. KMS is asked once per unlock, never
once per file.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.pg import free_port
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import aws_kms as slots_kms
from vaultapp.core.keybox.slots.os_keyring import KEYRING_SERVICE
from vaultapp.core.keybox.store import resolve_url

pytestmark = pytest.mark.integration

PASSPHRASE = "kms integration passphrase"
REGIONS = ("eu-west-1", "us-east-1")
START_TIMEOUT_S = 30
CHILD_TIMEOUT_S = 60
MOTO_SERVER = Path(sys.executable).parent / "moto_server"


# --- two KMS regions ----------------------------------------------------------------------

@dataclass
class KmsRegion:
    """One moto_server process playing AWS KMS in one region, with one key in it."""

    region: str
    port: int
    proc: subprocess.Popen[bytes]
    key_arn: str = ""

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> Any:
        return boto3.client("kms", region_name=self.region, endpoint_url=self.endpoint)

    def stop(self) -> None:
        """The region goes away: the process ends and its port refuses connections."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@dataclass
class AwsEnv:
    env: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AwsEnv:
    """Dummy credentials and no AWS configuration from the machine running the tests."""
    values = {
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
                 "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # no cached credentials
    return AwsEnv(values)


@pytest.fixture
def kms_regions(aws_env: AwsEnv, tmp_path: Path) -> Iterator[list[KmsRegion]]:
    """Two moto servers on free loopback ports, each with a KMS key; stopped afterwards."""
    if not MOTO_SERVER.exists():
        pytest.fail(f"{MOTO_SERVER} is missing: pip install 'moto[server]'", pytrace=False)
    regions: list[KmsRegion] = []
    try:
        for name in REGIONS:
            port = free_port()
            log = (tmp_path / f"moto-{name}.log").open("wb")
            proc = subprocess.Popen([str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
                                    stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
            log.close()
            regions.append(KmsRegion(name, port, proc))
        deadline = time.monotonic() + START_TIMEOUT_S
        for r in regions:
            while True:
                if r.proc.poll() is not None:
                    pytest.fail(f"moto_server for {r.region} exited: "
                                + (tmp_path / f"moto-{r.region}.log").read_text()[-2000:])
                try:
                    r.key_arn = r.client().create_key(
                        Description=f"vaultapp test {r.region}")["KeyMetadata"]["Arn"]
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            assert r.key_arn.startswith(f"arn:aws:kms:{r.region}:")
        yield regions
    finally:
        for r in regions:
            r.stop()


@pytest.fixture
def kms_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every KMS request vaultapp sends in-process, as (operation, endpoint URL)."""
    real_client = slots_kms._client
    calls: list[tuple[str, str]] = []

    def counting_client(region: str | None, endpoint_url: str | None) -> Any:
        client = real_client(region, endpoint_url)

        def record(request: Any, event_name: str, **kwargs: Any) -> None:
            calls.append((event_name.rsplit(".", 1)[-1], request.url))

        client.meta.events.register("before-send.kms.*", record)
        return client

    monkeypatch.setattr(slots_kms, "_client", counting_client)
    return calls


def _decrypts(calls: list[tuple[str, str]]) -> list[str]:
    return [url for op, url in calls if op == "Decrypt"]


def _run(env: dict[str, str], *args: object) -> tuple[subprocess.CompletedProcess[str], float]:
    """A real `python -m vaultapp` process (stdin a pipe, never a terminal); and its time."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "vaultapp", *map(str, args)], env=env,
                            input="", capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    return result, time.monotonic() - started


def _child_env(aws: AwsEnv, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("VAULTAPP_PASSPHRASE", "VAULTAPP_KEYBOX")}
    return {**env, **aws.env, "VAULTAPP_HOME": str(home)}


def _slot_ids(cli) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    r = cli("slot", "list", "--json")
    assert r.code == 0, r.err
    kinds: dict[str, list[str]] = {}
    for s in json.loads(r.out):
        kinds.setdefault(s["kind"], []).append(s["slot_id"])
    return kinds


# --- KMS in two regions --------------------------------------------------------------------

def test_two_region_kms_slots_survive_one_region_and_fail_clearly_without_both(  # type: ignore[no-untyped-def]
        cli, kms_regions: list[KmsRegion], kms_calls: list[tuple[str, str]], aws_env: AwsEnv,
        isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eu, us = kms_regions
    r = cli("init", "--no-keyring", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.code == 0, r.err
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)  # to add slots, once
    r = cli("slot", "add-aws-kms", "--key-id", eu.key_arn, "--endpoint-url", eu.endpoint)
    assert r.code == 0, r.err
    assert "AWS KMS eu-west-1" in r.out  # region taken from the ARN
    r = cli("slot", "add-aws-kms", "--key-id", us.key_arn, "--region", "us-east-1",
            "--endpoint-url", us.endpoint)
    assert r.code == 0, r.err
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    slots = _slot_ids(cli)
    assert len(slots["aws-kms"]) == 2 and len(slots["passphrase"]) == 1
    eu_slot, us_slot = slots["aws-kms"]
    pass_slot = slots["passphrase"][0]

    # KMS alone unlocks (no passphrase anywhere): create, seal and open N files.
    kms_calls.clear()
    assert cli("profile", "create", "acme").code == 0
    files = []
    for i in range(6):
        f = tmp_path / f"doc{i}.txt"
        f.write_bytes(f"document {i}\n".encode() * (i + 1))
        files.append(f)
    r = cli("seal", *map(str, files))
    assert r.code == 0, r.err
    originals = {f.name: f.read_bytes() for f in files}
    for f in files:
        f.unlink()
    kms_calls.clear()
    sealed = [str(f) + ".vault" for f in files]
    r = cli("open", *sealed)
    assert r.code == 0, r.err
    assert {f.name: f.read_bytes() for f in files} == originals
    # One unlock, one KMS request, for six files; the first region answered.
    assert _decrypts(kms_calls) == [eu.endpoint + "/"]
    assert len(kms_calls) == 1

    # Region 1 goes away: region 2 unlocks, quickly; first in-process ...
    eu.stop()
    for f in files:
        f.unlink()
    kms_calls.clear()
    started = time.monotonic()
    r = cli("open", *sealed)
    elapsed = time.monotonic() - started
    assert r.code == 0, r.err
    assert elapsed < 8, f"unlocking through the second region took {elapsed:.1f} s"
    assert {f.name: f.read_bytes() for f in files} == originals
    decrypts = _decrypts(kms_calls)
    assert decrypts[-1] == us.endpoint + "/"
    assert decrypts.count(eu.endpoint + "/") == 2  # tried twice (2 attempts), then moved on
    assert len(decrypts) == 3

    # ... then as a real process, with nothing but the environment.
    env = _child_env(aws_env, isolated_home)
    out_dir = tmp_path / "opened-by-child"
    out_dir.mkdir()
    result, elapsed = _run(env, "open", "-o", out_dir, sealed[0])
    assert result.returncode == 0, result.stderr
    assert (out_dir / files[0].name).read_bytes() == originals[files[0].name]
    assert elapsed < 8, f"a real process took {elapsed:.1f} s to unlock via region 2"

    # Both regions gone: exit 5 within seconds, each slot and why.
    us.stop()
    result, elapsed = _run(env, "open", "-o", out_dir, "--force", sealed[1])
    assert result.returncode == 5, result.stderr
    assert elapsed < 15, f"giving up took {elapsed:.1f} s"
    unreachable = "KMS is unreachable (network or region outage)"
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert "is locked; no key slot could unlock it:" in lines[0]
    assert lines[1:] == [f"AWS KMS eu-west-1 ({eu_slot}): {unreachable}",
                         f"AWS KMS us-east-1 ({us_slot}): {unreachable}",
                         f"recovery passphrase ({pass_slot}): no passphrase given"]
    assert not (out_dir / files[1].name).exists()

    # The same in-process, timed.
    started = time.monotonic()
    r = cli("open", "-o", str(out_dir), sealed[1])
    assert r.code == 5
    assert time.monotonic() - started < 15
    assert r.err.count(unreachable) == 2

    # The passphrase still opens everything.
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("open", "-o", str(out_dir), *sealed[1:])
    assert r.code == 0, r.err
    for f in files[1:]:
        assert (out_dir / f.name).read_bytes() == originals[f.name]


def test_one_kms_unlock_serves_every_file_of_a_keybox_session(  # type: ignore[no-untyped-def]
        kms_regions: list[KmsRegion], kms_calls: list[tuple[str, str]],
        tmp_path: Path) -> None:
    """The window keeps one unlocked Keybox: many seals and opens, still one Decrypt."""
    from vaultapp.core import fileops

    eu = kms_regions[0]
    box = Keybox.create(resolve_url(None), use_keyring=False, passphrase=PASSPHRASE)
    box.add_kms_slot(eu.key_arn, endpoint_url=eu.endpoint)
    box.create_profile("acme")
    box.close()
    kms_calls.clear()
    box = Keybox.open(resolve_url(None))
    try:
        assert box.unlock() == "AWS KMS eu-west-1"
        for i in range(20):
            plain = tmp_path / f"f{i}.txt"
            plain.write_bytes(os.urandom(100 + i))
            sealed = fileops.seal_file(plain, [box.recipient("acme")]).output
            expected = plain.read_bytes()
            plain.unlink()
            assert fileops.open_file(sealed, box).output.read_bytes() == expected
        box.rotate("acme")
        box.recipient("acme")
    finally:
        box.close()
    assert [op for op, _ in kms_calls] == ["Decrypt"]


# --- the OS keyring slot wrapped by KMS --------------------------------------------------------

def test_keyring_wrapped_by_kms(cli, kms_regions: list[KmsRegion],  # type: ignore[no-untyped-def]
                                kms_calls: list[tuple[str, str]], memory_keyring,
                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eu = kms_regions[0]
    r = cli("init", "--no-keyring", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.code == 0, r.err
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("slot", "add-keyring", "--wrap-with-aws-kms", eu.key_arn,
            "--endpoint-url", eu.endpoint)
    assert r.code == 0, r.err
    box = Keybox.open(resolve_url(None))
    box.unlock(PASSPHRASE, kinds=("passphrase",))
    root = bytes(box.require_root())
    keybox_id = box.keybox_id
    box.close()
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    slot_id = _slot_ids(cli)["keyring-kms"][0]

    # The keyring holds a KMS ciphertext, not the root key ...
    stored = memory_keyring.store[(KEYRING_SERVICE, f"keybox-{keybox_id}/slot-{slot_id}")]
    blob = base64.b64decode(stored, validate=True)
    assert len(root) == 32
    assert blob != root and root not in blob and base64.b64encode(root).decode() != stored
    # ... that KMS turns into the root key only with this keybox's and slot's context.
    kms = eu.client()
    context = {"vaultapp:keybox": keybox_id, "vaultapp:slot": slot_id}
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)["Plaintext"] == root
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=blob,
                    EncryptionContext={**context, "vaultapp:slot": "another"})

    # Unlock goes through it: no passphrase is given, and it is the only other slot.
    box = Keybox.open(resolve_url(None))
    try:
        assert box.unlock(kinds=("keyring-kms",)) == "OS keyring wrapped by AWS KMS eu-west-1"
        assert bytes(box.require_root()) == root
    finally:
        box.close()
    kms_calls.clear()
    assert cli("profile", "create", "acme").code == 0
    plain = tmp_path / "note.txt"
    plain.write_bytes(b"wrapped twice, stored once\n")
    r = cli("seal", str(plain))
    assert r.code == 0, r.err
    assert _decrypts(kms_calls) == [eu.endpoint + "/"] * 2  # one per command

    # KMS down: this slot fails with a clear reason (and the passphrase is the way out).
    eu.stop()
    plain.unlink()
    started = time.monotonic()
    r = cli("open", str(plain) + ".vault")
    assert r.code == 5
    assert time.monotonic() - started < 15
    lines = [line.strip() for line in r.err.splitlines()]
    assert lines[1] == (f"OS keyring wrapped by AWS KMS eu-west-1 ({slot_id}): "
                        "KMS is unreachable (network or region outage)")
    assert lines[2].endswith("no passphrase given")

    # The keyring entry lost (another laptop): said so, before any KMS call.
    del memory_keyring.store[(KEYRING_SERVICE, f"keybox-{keybox_id}/slot-{slot_id}")]
    kms_calls.clear()
    r = cli("open", str(plain) + ".vault")
    assert r.code == 5
    assert f"({slot_id}): the OS keyring has no entry for this keybox" in r.err
    assert kms_calls == []
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("open", str(plain) + ".vault")
    assert r.code == 0, r.err
    assert plain.read_bytes() == b"wrapped twice, stored once\n"


def test_root_key_substitution_through_an_added_kms_slot_is_refused(  # type: ignore[no-untyped-def]
        cli, kms_regions: list[KmsRegion], kms_calls: list[tuple[str, str]],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's high finding, performed in full: a database writer adds an aws-kms slot
    pointing at a KMS they run (the second moto server), replaces the root-key check with
    one for their own root key and adds a primary key wrapped under it. The victim's next
    seal must not unlock through that slot, must not contact the attacker's KMS, and must
    seal nothing."""
    import sqlite3

    from vaultapp.core.keybox.service import key_context
    from vaultapp.core.keybox.wrapping import root_key_check, wrap

    victim_kms, attacker = kms_regions
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--no-keyring").code == 0
    assert cli("slot", "add-aws-kms", "--key-id", victim_kms.key_arn,
               "--endpoint-url", victim_kms.endpoint).code == 0
    assert cli("profile", "create", "acme").code == 0
    box = Keybox.open(resolve_url(None))
    keybox_id, profile_id = box.keybox_id, box.profiles()[0].profile_id
    box.close()

    # The attacker's root key, wrapped by the attacker's KMS into a slot of this keybox.
    evil_root, slot_id, key_id = os.urandom(32), "a77ac4e7a77ac4e7", "e" * 32
    blob = attacker.client().encrypt(
        KeyId=attacker.key_arn, Plaintext=evil_root,
        EncryptionContext={"vaultapp:keybox": keybox_id, "vaultapp:slot": slot_id},
    )["CiphertextBlob"]
    path = resolve_url(None)[len("sqlite:///"):]
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO key_slots VALUES (?, 'aws-kms', 'AWS KMS eu-west-1', ?, ?, "
                   "'2000-01-01 00:00:00.000000')",
                   (slot_id, json.dumps({"key_arn": attacker.key_arn, "region": attacker.region,
                                         "endpoint_url": attacker.endpoint}), blob))
        db.execute("UPDATE keybox_meta SET root_key_check = ?",
                   (root_key_check(evil_root, keybox_id),))
        db.execute("UPDATE profile_keys SET is_primary = 0")
        db.execute("INSERT INTO profile_keys (key_id, profile_id, version, state, is_primary, "
                   "wrapped_key, created_at, state_changed_at) VALUES (?, ?, 9, 'enabled', 1, ?,"
                   " '2000-01-01 00:00:00.000000', '2000-01-01 00:00:00.000000')",
                   (key_id, profile_id, wrap(evil_root, os.urandom(32),
                                             key_context(keybox_id, profile_id, key_id))))
    db.close()

    plain = tmp_path / "secret.txt"
    plain.write_bytes(b"do not seal under the attacker's key")
    kms_calls.clear()
    r = cli("seal", str(plain))
    assert r.code == 6, r.err
    assert "changed outside vaultapp" in r.err
    assert not (tmp_path / "secret.txt.vault").exists()
    assert [url for _, url in kms_calls if url.startswith(attacker.endpoint)] == []


def test_a_plain_http_kms_endpoint_is_refused_and_the_local_variable_wins(  # type: ignore[no-untyped-def]
        cli, kms_regions: list[KmsRegion], kms_calls: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A slot's endpoint switched to plain http on another host is never contacted;
    AWS_ENDPOINT_URL_KMS in the local environment overrides what the keybox stores."""
    eu = kms_regions[0]
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--no-keyring").code == 0
    r = cli("slot", "add-aws-kms", "--key-id", eu.key_arn, "--endpoint-url",
            "http://kms.example.com")
    assert r.code == 1 and "is not https" in r.err, r.err
    # Stored as loopback, called through the local variable instead (the second server).
    monkeypatch.setenv("AWS_ENDPOINT_URL_KMS", eu.endpoint)
    assert cli("slot", "add-aws-kms", "--key-id", eu.key_arn, "--endpoint-url",
               "http://127.0.0.1:9").code == 0
    assert kms_calls and {url for _, url in kms_calls} == {eu.endpoint + "/"}
