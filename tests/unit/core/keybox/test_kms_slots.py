"""AWS KMS key slots against a real boto3 KMS client whose answers are stubbed.

moto cannot play these parts (it lets a disabled key decrypt and leaves error messages
empty), so `botocore.stub.Stubber` answers for KMS here: every real-service error must
reach the person as a clear reason in the KeyboxLockedError message, with exit code 5 when
the KMS slot is the keybox's only slot. Connection failures and missing credentials run
through the client that vaultapp itself builds (its timeouts and retry settings), with the
network or the credentials taken away. The encryption context sent to KMS must name the
keybox and the slot, and a missing boto3 must say how to install it.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.keybox import Keybox, pin
from vaultapp.core.keybox.slots import aws_kms as slots_kms
from vaultapp.core.keybox.slots.os_keyring import KEYRING_SERVICE
from vaultapp.core.keybox.store import resolve_url

KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SLOT_ID = "5107aa0000c0ffee"
BLOB = b"\x01\x02\x03kms-ciphertext-blob-as-stored-in-the-keybox" + bytes(range(40))
PASSPHRASE = "kms unit passphrase"
SECRET = b"payload sealed while KMS was still happy\n"
_REAL_CLIENT = slots_kms._client  # before any test replaces it


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and no AWS configuration of the machine running the tests."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ENDPOINT_URL",
                 "AWS_ENDPOINT_URL_KMS"):
        monkeypatch.delenv(name, raising=False)
    # boto3's default session caches credentials: every test starts from a fresh one.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


@dataclass
class StubbedKms:
    client: Any
    stubber: Stubber
    calls: list[tuple[str | None, str | None]]


@pytest.fixture
def kms(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real boto3 KMS client with a Stubber; vaultapp's `_client` hands it out."""
    client = boto3.client("kms", region_name="eu-west-1")
    stubber = Stubber(client)
    stubber.activate()
    calls: list[tuple[str | None, str | None]] = []

    def stubbed_client(region: str | None, endpoint_url: str | None) -> Any:
        calls.append((region, endpoint_url))
        return client

    monkeypatch.setattr(slots_kms, "_client", stubbed_client)
    monkeypatch.setattr(slots_kms, "new_slot_id", lambda: SLOT_ID)
    yield StubbedKms(client, stubber, calls)
    stubber.deactivate()


@dataclass
class KmsOnlyKeybox:
    keybox_id: str
    root: bytes
    sealed: Path

    def context(self) -> dict[str, str]:
        return {"vaultapp:keybox": self.keybox_id, "vaultapp:slot": SLOT_ID}

    def decrypt_params(self) -> dict[str, Any]:
        return {"CiphertextBlob": BLOB, "KeyId": KEY_ARN, "EncryptionContext": self.context()}


@pytest.fixture
def kms_only(kms: StubbedKms, tmp_path: Path) -> KmsOnlyKeybox:
    """A keybox whose one and only key slot is the (stubbed) KMS key, plus a sealed file."""
    from vaultapp.core import fileops

    box = Keybox.create(resolve_url(None), use_keyring=False, passphrase=PASSPHRASE)
    try:
        root = bytes(box.require_root())
        expected = {"KeyId": KEY_ARN, "Plaintext": root,
                    "EncryptionContext": {"vaultapp:keybox": box.keybox_id,
                                          "vaultapp:slot": SLOT_ID}}
        kms.stubber.add_response("encrypt", {"CiphertextBlob": BLOB, "KeyId": KEY_ARN},
                                 expected)
        box.add_kms_slot(KEY_ARN)
        kms.stubber.assert_no_pending_responses()
        passphrase_slot = next(s for s in box.slots() if s.kind == "passphrase")
        box.remove_slot(passphrase_slot.slot_id)
        assert [(s.slot_id, s.kind) for s in box.slots()] == [(SLOT_ID, "aws-kms")]
        box.create_profile("acme")
        plain = tmp_path / "report.txt"
        plain.write_bytes(SECRET)
        sealed = fileops.seal_file(plain, [box.recipient("acme")]).output
        plain.unlink()
        keybox_id = box.keybox_id
    finally:
        box.close()
    return KmsOnlyKeybox(keybox_id, root, sealed)


# --- the slot as stored, and the encryption context ------------------------------------

def test_encrypt_binds_the_keybox_and_slot_in_the_encryption_context(
        kms: StubbedKms, kms_only: KmsOnlyKeybox) -> None:
    # The Stubber already refused any other parameters when the slot was added (above);
    # here: the region came from the ARN, no endpoint was given, and unlocking sends
    # the same context with the stored ciphertext.
    assert kms.calls == [("eu-west-1", None)]
    kms.stubber.add_response("decrypt", {"Plaintext": kms_only.root, "KeyId": KEY_ARN},
                             kms_only.decrypt_params())
    box = Keybox.open(resolve_url(None))
    try:
        assert box.unlock() == "AWS KMS eu-west-1"
        assert bytes(box.require_root()) == kms_only.root
    finally:
        box.close()
    kms.stubber.assert_no_pending_responses()


def test_wrong_encryption_context_is_refused_by_the_stub(kms: StubbedKms,
                                                         kms_only: KmsOnlyKeybox) -> None:
    """The check above has teeth: a decrypt with another slot id would not match."""
    params = kms_only.decrypt_params()
    params["EncryptionContext"] = {"vaultapp:keybox": kms_only.keybox_id,
                                   "vaultapp:slot": "another-slot"}
    kms.stubber.add_response("decrypt", {"Plaintext": kms_only.root}, params)
    box = Keybox.open(resolve_url(None))
    try:
        with pytest.raises(KeyboxLockedError) as info:
            box.unlock()
    finally:
        box.close()
    # The stub's parameter mismatch surfaces as a failed slot, not as a traceback.
    assert f"AWS KMS eu-west-1 ({SLOT_ID}): KMS call failed" in str(info.value)


def test_seal_and_open_through_the_kms_slot_alone(cli, kms: StubbedKms,  # type: ignore[no-untyped-def]
                                                  kms_only: KmsOnlyKeybox,
                                                  tmp_path: Path) -> None:
    kms.stubber.add_response("decrypt", {"Plaintext": kms_only.root, "KeyId": KEY_ARN},
                             kms_only.decrypt_params())
    r = cli("open", str(kms_only.sealed))
    assert r.code == 0, r.err
    assert (tmp_path / "report.txt").read_bytes() == SECRET
    kms.stubber.assert_no_pending_responses()


def test_kms_answering_with_another_keyboxs_key_is_refused(
        cli, kms: StubbedKms, kms_only: KmsOnlyKeybox) -> None:  # type: ignore[no-untyped-def]
    kms.stubber.add_response("decrypt", {"Plaintext": os.urandom(32), "KeyId": KEY_ARN},
                             kms_only.decrypt_params())
    r = cli("open", str(kms_only.sealed))
    # Fail closed: a slot that yields another keybox's key is tampering, not a miss.
    assert r.code == 6
    assert f"AWS KMS eu-west-1 ({SLOT_ID}) yields a key that fails the root-key check" \
        in r.err


# --- every real-service error becomes a reason, exit 5 ------------------------------------

SERVICE_ERRORS = [
    # (error code, HTTP status, AWS's own message, words the person must see)
    ("DisabledException", 400, "arn:aws:kms:...:key/1234abcd is disabled.",
     "the KMS key is disabled"),
    ("KMSInvalidStateException", 400,
     "arn:aws:kms:...:key/1234abcd is pending deletion.", "the KMS key is pending deletion"),
    ("AccessDeniedException", 400,
     "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt",
     "access denied by KMS (check the credentials and key policy)"),
    ("ThrottlingException", 400, "Rate exceeded", "KMS is throttling requests"),
    ("InvalidCiphertextException", 400, "", "KMS refused the stored ciphertext"),
]


@pytest.mark.parametrize(("code", "status", "aws_message", "reason"), SERVICE_ERRORS,
                         ids=[e[0] for e in SERVICE_ERRORS])
def test_service_error_is_a_clear_reason_and_exit_5(  # type: ignore[no-untyped-def]
        cli, kms: StubbedKms, kms_only: KmsOnlyKeybox, tmp_path: Path,
        code: str, status: int, aws_message: str, reason: str) -> None:
    kms.stubber.add_client_error("decrypt", service_error_code=code,
                                 service_message=aws_message, http_status_code=status,
                                 expected_params=kms_only.decrypt_params())
    r = cli("open", str(kms_only.sealed))
    assert r.code == 5, r.err
    assert "is locked; no key slot could unlock it" in r.err
    assert f"AWS KMS eu-west-1 ({SLOT_ID}): {reason}" in r.err
    assert "Traceback" not in r.err and code not in r.err
    assert not (tmp_path / "report.txt").exists()
    kms.stubber.assert_no_pending_responses()


def test_unknown_service_error_names_its_code(cli, kms: StubbedKms,  # type: ignore[no-untyped-def]
                                              kms_only: KmsOnlyKeybox) -> None:
    kms.stubber.add_client_error("decrypt", service_error_code="SomethingNewException",
                                 http_status_code=400,
                                 expected_params=kms_only.decrypt_params())
    r = cli("open", str(kms_only.sealed))
    assert r.code == 5
    assert f"({SLOT_ID}): KMS refused (SomethingNewException)" in r.err


def test_every_reason_is_in_the_locked_error_in_process(kms: StubbedKms,
                                                        kms_only: KmsOnlyKeybox) -> None:
    """The same through the API the window uses: the exception carries exit code 5."""
    kms.stubber.add_client_error("decrypt", service_error_code="DisabledException",
                                 expected_params=kms_only.decrypt_params())
    box = Keybox.open(resolve_url(None))
    try:
        with pytest.raises(KeyboxLockedError) as info:
            box.unlock()
    finally:
        box.close()
    assert info.value.exit_code == 5
    assert str(info.value).endswith(f"AWS KMS eu-west-1 ({SLOT_ID}): the KMS key is disabled")


# --- the network and the credentials, through vaultapp's own client -----------------------

def test_endpoint_unreachable_is_retried_then_reported(  # type: ignore[no-untyped-def]
        cli, kms: StubbedKms, kms_only: KmsOnlyKeybox, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network: vaultapp's client (3 s connect timeout, 2 attempts) gives up fast."""
    kms.stubber.deactivate()
    real_client = _REAL_CLIENT  # vaultapp's own client, not the stubbed one
    sends: list[str] = []

    def no_network(request: Any, **kwargs: Any) -> None:
        sends.append(request.url)
        raise EndpointConnectionError(endpoint_url=request.url)

    def client_without_network(region: str | None, endpoint_url: str | None) -> Any:
        client = real_client(region, endpoint_url)
        assert client.meta.config.connect_timeout == 3
        # two attempts in all (botocore's "max_attempts" would count retries only)
        assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 2}
        client.meta.events.register("before-send.kms.Decrypt", no_network)
        return client

    monkeypatch.setattr(slots_kms, "_client", client_without_network)
    started = time.monotonic()
    r = cli("open", str(kms_only.sealed))
    elapsed = time.monotonic() - started
    assert r.code == 5, r.err
    assert f"AWS KMS eu-west-1 ({SLOT_ID}): KMS is unreachable (network or region outage)" \
        in r.err
    assert len(sends) == 2, sends  # two attempts, no more
    assert all("kms.eu-west-1.amazonaws.com" in url for url in sends)
    assert elapsed < 8, f"giving up took {elapsed:.1f} s"


def test_kms_that_never_answers_is_given_up_on(  # type: ignore[no-untyped-def]
        cli, kms: StubbedKms, kms_only: KmsOnlyKeybox, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that accepts the connection and then says nothing (a hung region): each
    attempt ends at the read timeout (5 s in the product, 1 s here), two attempts in all."""
    kms.stubber.deactivate()
    monkeypatch.setattr(slots_kms, "_client", _REAL_CLIENT)
    monkeypatch.setattr(slots_kms, "READ_TIMEOUT_S", 1)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_stay_silent() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_stay_silent, daemon=True)
    thread.start()
    box = Keybox.open(resolve_url(None))
    # Point the stored slot at the silent server (as if the region's endpoint hung).
    with box.store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE key_slots SET params = ? WHERE slot_id = ?",
            (json.dumps({"key_arn": KEY_ARN, "region": "eu-west-1",
                         "endpoint_url": f"http://127.0.0.1:{listener.getsockname()[1]}"}),
             SLOT_ID))
    box.close()
    # A machine that never unlocked this keybox (here, the pinned machine would refuse
    # the edited slot without contacting it: tests/adversarial/test_keybox_attacks.py).
    pin.forget(box.location)
    try:
        started = time.monotonic()
        r = cli("open", str(kms_only.sealed))
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join(5)
        for conn_ in accepted:
            conn_.close()
        listener.close()
    assert r.code == 5, r.err
    assert f"AWS KMS eu-west-1 ({SLOT_ID}): KMS did not answer in time" in r.err
    assert len(accepted) == 2  # two attempts, each a fresh connection
    assert 2 <= elapsed < 8, f"{elapsed:.1f} s"


def test_no_credentials_is_a_clear_reason(cli, kms: StubbedKms,  # type: ignore[no-untyped-def]
                                          kms_only: KmsOnlyKeybox,
                                          monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    kms.stubber.deactivate()
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    real_client = _REAL_CLIENT
    sends: list[str] = []

    def client_that_records(region: str | None, endpoint_url: str | None) -> Any:
        client = real_client(region, endpoint_url)
        client.meta.events.register("before-send.kms.*",
                                    lambda request, **kw: sends.append(request.url))
        return client

    monkeypatch.setattr(slots_kms, "_client", client_that_records)
    started = time.monotonic()
    r = cli("open", str(kms_only.sealed))
    assert r.code == 5, r.err
    assert f"AWS KMS eu-west-1 ({SLOT_ID}): no AWS credentials found (environment, profile " \
        "or SSO)" in r.err
    assert sends == []  # refused before anything left the machine
    assert time.monotonic() - started < 8


from vaultapp.core.keybox.slots.registry import install_hint  # noqa: E402

# --- boto3 is an optional extra -------------------------------------------------------------

INSTALL_HINT = install_hint("aws-kms")


def test_adding_a_kms_slot_without_boto3_says_how_to_install_it(  # type: ignore[no-untyped-def]
        cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--no-keyring").code == 0
    monkeypatch.setitem(sys.modules, "boto3", None)  # `import boto3` now raises ImportError
    r = cli("slot", "add-aws-kms", "--key-id", KEY_ARN)
    assert r.code == 1
    assert "cannot add the KMS slot: AWS KMS slots need the optional AWS support (boto3)" \
        in r.err
    assert INSTALL_HINT in r.err and "[aws]" in r.err
    assert INSTALL_HINT in r.err
    assert "Traceback" not in r.err
    r = cli("slot", "list", "--json")
    assert '"aws-kms"' not in r.out  # nothing half-added


def test_unlocking_without_boto3_says_how_to_install_it(cli, kms: StubbedKms,  # type: ignore[no-untyped-def]
                                                        kms_only: KmsOnlyKeybox,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slots_kms, "_client", _REAL_CLIENT)
    monkeypatch.setitem(sys.modules, "boto3", None)
    r = cli("open", str(kms_only.sealed))
    assert r.code == 5
    assert (f"AWS KMS eu-west-1 ({SLOT_ID}): AWS KMS slots need the optional "
            f"AWS support (boto3): {INSTALL_HINT}") in r.err


# --- the keyring slot wrapped by KMS ---------------------------------------------------------

def test_keyring_kms_slot_stores_only_the_kms_ciphertext(  # type: ignore[no-untyped-def]
        cli, kms: StubbedKms, memory_keyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--no-keyring").code == 0
    box = Keybox.open(resolve_url(None))
    box.unlock(PASSPHRASE)
    root = bytes(box.require_root())
    keybox_id = box.keybox_id
    box.close()
    context = {"vaultapp:keybox": keybox_id, "vaultapp:slot": SLOT_ID}
    kms.stubber.add_response("encrypt", {"CiphertextBlob": BLOB},
                             {"KeyId": KEY_ARN, "Plaintext": root, "EncryptionContext": context})
    r = cli("slot", "add-keyring", "--wrap-with-aws-kms", KEY_ARN, "--region", "eu-central-1",
            "--endpoint-url", "http://127.0.0.1:1")
    assert r.code == 0, r.err
    assert kms.calls == [("eu-central-1", "http://127.0.0.1:1")]
    stored = memory_keyring.store[(KEYRING_SERVICE, f"keybox-{keybox_id}/slot-{SLOT_ID}")]
    assert base64.b64decode(stored) == BLOB
    assert root not in base64.b64decode(stored)

    # Unlock goes keyring-kms first (before the passphrase); its failure is explained.
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    kms.stubber.add_client_error("decrypt", service_error_code="AccessDeniedException",
                                 expected_params={"CiphertextBlob": BLOB, "KeyId": KEY_ARN,
                                                  "EncryptionContext": context})
    box = Keybox.open(resolve_url(None))
    try:
        with pytest.raises(KeyboxLockedError) as info:
            box.unlock()
    finally:
        box.close()
    lines = str(info.value).splitlines()[1:]
    assert lines[0].strip() == (f"OS keyring wrapped by AWS KMS eu-central-1 ({SLOT_ID}): "
                                "access denied by KMS (check the credentials and key policy)")
    assert lines[1].strip().endswith("no passphrase was given")
    kms.stubber.assert_no_pending_responses()


def test_test_connection_reports_a_key_pending_deletion(kms: StubbedKms) -> None:
    kms.stubber.add_response("describe_key", {"KeyMetadata": {
        "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "KeyState": "PendingDeletion"}},
        {"KeyId": KEY_ARN})
    with pytest.raises(slots_kms.SlotFailure, match="the KMS key is PendingDeletion"):
        slots_kms.check_kms_key(KEY_ARN, None, None)
    kms.stubber.add_response("describe_key", {"KeyMetadata": {
        "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "KeyState": "Enabled"}},
        {"KeyId": KEY_ARN})
    assert slots_kms.check_kms_key(KEY_ARN, None, None).startswith("reachable")


def test_add_kms_slot_failure_leaves_no_slot(kms: StubbedKms, tmp_path: Path) -> None:
    box = Keybox.create(resolve_url(None), use_keyring=False, passphrase=PASSPHRASE)
    try:
        kms.stubber.add_client_error("encrypt", service_error_code="NotFoundException")
        with pytest.raises(VaultError, match="cannot add the KMS slot: the KMS key does not "
                                             "exist in this region"):
            box.add_kms_slot(KEY_ARN)
        assert [s.kind for s in box.slots()] == ["passphrase"]
    finally:
        box.close()
