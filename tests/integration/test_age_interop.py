"""vaultapp's age files against real implementations, both ways.

- The `age` binary (Debian's, installed by scripts/install-system-deps): X25519 and scrypt.
  vaultapp encrypts, `age -d` decrypts; `age -e` encrypts, vaultapp decrypts. Sizes 0, 1,
  64 KiB - 1, 64 KiB, 64 KiB + 1 and about 5 MiB, binary and armored, several recipients.
  A passphrase is typed into age through a pseudo-terminal, as a person would.
- typage (npm `age-encryption`, run with node), for the post-quantum hybrid recipients,
  which Debian's age (1.1) predates: typage generates a hybrid identity and encrypts, we
  decrypt; we generate and encrypt, typage decrypts; and both derive the same recipient
  from the same identity.

Every file's header is checked to carry the stanza type its recipients imply. A test
skips only when `age`, `node` or `npm` is not installed (.ci/run installs them); the
typage package is installed once into a cache folder this file owns.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import select
import shutil
import subprocess
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from vaultapp.core import age

TYPAGE_VERSION = "0.3.1"
SIZES = [0, 1, 65535, 65536, 65537, 5 * 1024 * 1024 + 17]
PASSPHRASE = "correct horse battery staple"

TYPAGE_TOOL = r"""
import * as age from "age-encryption"
import { readFileSync, writeSync } from "node:fs"

const [command, ...args] = process.argv.slice(2)
const input = () => new Uint8Array(readFileSync(0))
const output = (bytes) => {
    for (let done = 0; done < bytes.length;) done += writeSync(1, bytes, done)
}
if (command === "keygen") {
    const identity = await age.generateHybridIdentity()
    console.log(JSON.stringify({ identity, recipient: await age.identityToRecipient(identity) }))
} else if (command === "recipient") {
    console.log(await age.identityToRecipient(process.env.AGE_IDENTITY))
} else if (command === "encrypt") {
    const armor = args[0] === "--armor"
    const e = new age.Encrypter()
    for (const r of armor ? args.slice(1) : args) e.addRecipient(r)
    const sealed = await e.encrypt(input())
    output(armor ? new TextEncoder().encode(age.armor.encode(sealed)) : sealed)
} else if (command === "decrypt") {
    const d = new age.Decrypter()
    d.addIdentity(process.env.AGE_IDENTITY)
    let sealed = input()
    const start = new TextDecoder().decode(sealed.subarray(0, 1100)).trimStart()
    if (start.startsWith("-----BEGIN AGE ENCRYPTED FILE-----")) {
        sealed = age.armor.decode(new TextDecoder().decode(sealed))
    }
    output(await d.decrypt(sealed))
} else {
    throw new Error("unknown command " + command)
}
"""


def _need(program: str) -> str:
    """The program's path. Fails (never skips) when it is missing, as every integration
    test's real part does: .ci/run installs it (scripts/install-system-deps)."""
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not installed (scripts/install-system-deps installs it)")
    return path


def _encrypt(data: bytes, recipients: list[age.Recipient], armor: bool) -> bytes:
    out = io.BytesIO()
    age.encrypt(cast(BinaryIO, io.BytesIO(data)), out, recipients, armor=armor)
    return out.getvalue()


def _decrypt(sealed: bytes, identities: list[age.Identity]) -> tuple[bytes, age.AgeFacts]:
    out = io.BytesIO()
    facts = age.decrypt(cast(BinaryIO, io.BytesIO(sealed)), out, identities)
    return out.getvalue(), facts


def _types(sealed: bytes) -> tuple[str, ...]:
    return age.read_header(cast(BinaryIO, io.BytesIO(sealed))).stanza_types


def _data(size: int) -> bytes:
    return os.urandom(size)


# -- the age binary ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def age_binary() -> str:
    return _need("age")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[list[age.X25519Identity], Path]:
    """Three X25519 identities, and an identity file holding the last one."""
    people = [age.X25519Identity.generate() for _ in range(3)]
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# created by the test\n{people[-1].encode()}\n")
    key_file.chmod(0o600)
    return people, key_file


def _age(argv: list[str], tmp_path: Path, data: bytes) -> bytes:
    src, dst = tmp_path / "in", tmp_path / "out"
    src.write_bytes(data)
    dst.unlink(missing_ok=True)
    result = subprocess.run([*argv, "-o", str(dst), str(src)], capture_output=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr.decode()
    return _written(dst)


def _written(path: Path) -> bytes:
    """What age wrote to `-o path`: it creates the file on its first write, so an empty
    plaintext leaves no file."""
    return path.read_bytes() if path.exists() else b""


@pytest.mark.parametrize("armor", [False, True])
@pytest.mark.parametrize("size", SIZES)
def test_age_opens_our_x25519_files(age_binary: str, keys: tuple[list[age.X25519Identity],
                                    Path], tmp_path: Path, size: int, armor: bool) -> None:
    people, key_file = keys
    data = _data(size)
    sealed = _encrypt(data, [p.recipient() for p in people], armor)
    assert _types(sealed) == ("X25519",) * 3
    assert _age([age_binary, "-d", "-i", str(key_file)], tmp_path, sealed) == data


@pytest.mark.parametrize("armor", [False, True])
@pytest.mark.parametrize("size", SIZES)
def test_we_open_age_x25519_files(age_binary: str, keys: tuple[list[age.X25519Identity],
                                  Path], tmp_path: Path, size: int, armor: bool) -> None:
    people, _ = keys
    data = _data(size)
    argv = [age_binary, "-e"]
    for person in people:
        argv += ["-r", person.recipient().encode()]
    sealed = _age([*argv, "-a"] if armor else argv, tmp_path, data)
    assert sealed.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----") is armor
    assert _types(sealed) == ("X25519",) * 3
    for person in people:
        plain, facts = _decrypt(sealed, [person])
        assert plain == data
        assert facts.armored is armor and facts.post_quantum is False
    with pytest.raises(age.AgeNoMatchError):
        _decrypt(sealed, [age.X25519Identity.generate()])


def _age_with_terminal(argv: list[str], answers: list[tuple[bytes, str]]) -> None:
    """Run `age` with a pseudo-terminal as its controlling terminal (where it asks for a
    passphrase) and type each answer after its prompt appears."""
    master, slave = os.openpty()

    def make_controlling_terminal() -> None:
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=make_controlling_terminal, pass_fds=(slave,))
    os.close(slave)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        for prompt, answer in answers:
            while prompt not in seen:
                assert time.monotonic() < deadline, f"no prompt {prompt!r}; got {seen!r}"
                ready, _, _ = select.select([master], [], [], 0.5)
                if ready:
                    try:
                        seen += os.read(master, 4096)
                    except OSError:  # the terminal closed: age exited
                        break
            seen = seen.replace(prompt, b"", 1)
            os.write(master, answer.encode() + b"\n")
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()


@pytest.mark.parametrize("armor", [False, True])
@pytest.mark.parametrize("size", SIZES)
def test_age_opens_our_passphrase_files(age_binary: str, tmp_path: Path, size: int,
                                        armor: bool) -> None:
    data = _data(size)
    sealed = _encrypt(data, [age.ScryptRecipient(PASSPHRASE, log_n=10)], armor)
    assert _types(sealed) == ("scrypt",)
    src, dst = tmp_path / "in.age", tmp_path / "out"
    src.write_bytes(sealed)
    _age_with_terminal([age_binary, "-d", "-o", str(dst), str(src)],
                       [(b"passphrase", PASSPHRASE)])
    assert _written(dst) == data


@pytest.mark.parametrize(("size", "armor"), list(zip(SIZES, [False, True] * 3, strict=True)))
def test_we_open_age_passphrase_files(age_binary: str, tmp_path: Path, size: int,
                                      armor: bool) -> None:
    data = _data(size)
    src, dst = tmp_path / "in", tmp_path / "out.age"
    src.write_bytes(data)
    argv = [age_binary, "-p", *(["-a"] if armor else []), "-o", str(dst), str(src)]
    _age_with_terminal(argv, [(b"passphrase", PASSPHRASE), (b"onfirm", PASSPHRASE)])
    sealed = dst.read_bytes()
    assert _types(sealed) == ("scrypt",)
    # age's work factor (2^18, a second of scrypt each time): each size once, armored or not
    plain, facts = _decrypt(sealed, [age.ScryptIdentity(PASSPHRASE)])
    assert plain == data and facts.passphrase and facts.armored is armor


def test_age_refuses_our_tampered_file(age_binary: str, keys: tuple[list[age.X25519Identity],
                                       Path], tmp_path: Path) -> None:
    """The reference implementation agrees that a flipped payload byte breaks the file."""
    people, key_file = keys
    sealed = bytearray(_encrypt(_data(1000), [people[-1].recipient()], armor=False))
    sealed[-5] ^= 1
    src = tmp_path / "bad.age"
    src.write_bytes(bytes(sealed))
    result = subprocess.run([age_binary, "-d", "-i", str(key_file), "-o", str(tmp_path / "o"),
                             str(src)], capture_output=True, timeout=60)
    assert result.returncode != 0
    with pytest.raises(age.AgePayloadError):
        _decrypt(bytes(sealed), [people[-1]])


# -- typage -----------------------------------------------------------------------------


class Typage:
    def __init__(self, node: str, folder: Path) -> None:
        self.node = node
        self.tool = folder / "typage_tool.mjs"

    def run(self, *args: str, data: bytes = b"", identity: str | None = None) -> bytes:
        env = dict(os.environ)
        if identity is not None:
            env["AGE_IDENTITY"] = identity  # not on the command line, where ps shows it
        result = subprocess.run([self.node, str(self.tool), *args], input=data,
                                capture_output=True, timeout=120, env=env)
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout

    def keygen(self) -> tuple[str, str]:
        keys = json.loads(self.run("keygen"))
        return keys["identity"], keys["recipient"]


@pytest.fixture(scope="session")
def typage() -> Iterator[Typage]:
    node = _need("node")
    npm = _need("npm")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "vaultapp-tests" / f"typage-{TYPAGE_VERSION}"
    installed = folder / "node_modules" / "age-encryption" / "package.json"
    if not installed.is_file() or json.loads(installed.read_text())["version"] != TYPAGE_VERSION:
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund",
             "--loglevel=error", f"age-encryption@{TYPAGE_VERSION}"],
            capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"npm install failed: {result.stderr}"
    (folder / "typage_tool.mjs").write_text(TYPAGE_TOOL)
    yield Typage(node, folder)


def test_typage_and_we_derive_the_same_hybrid_recipient(typage: Typage) -> None:
    identity, recipient = typage.keygen()
    assert identity.startswith("AGE-SECRET-KEY-PQ-1") and recipient.startswith("age1pq1")
    ours = age.parse_identity(identity)
    assert isinstance(ours, age.HybridIdentity)
    assert ours.recipient().encode() == recipient
    mine = age.HybridIdentity.generate()
    assert typage.run("recipient", identity=mine.encode()).decode().strip() == \
        mine.recipient().encode()


@pytest.fixture(scope="module")
def typage_keys(typage: Typage) -> tuple[str, str]:
    return typage.keygen()


@pytest.mark.parametrize("armor", [False, True])
@pytest.mark.parametrize("size", SIZES)
def test_we_open_typage_hybrid_files(typage: Typage, typage_keys: tuple[str, str], size: int,
                                     armor: bool) -> None:
    identity, recipient = typage_keys
    other = age.HybridIdentity.generate()
    data = _data(size)
    args = ["encrypt", *(["--armor"] if armor else []), other.recipient().encode(), recipient]
    sealed = typage.run(*args, data=data)
    assert _types(sealed) == ("mlkem768x25519",) * 2
    plain, facts = _decrypt(sealed, [age.parse_identity(identity)])
    assert plain == data
    assert facts.post_quantum is True and facts.armored is armor
    assert _decrypt(sealed, [other])[0] == data


@pytest.mark.parametrize("armor", [False, True])
@pytest.mark.parametrize("size", SIZES)
def test_typage_opens_our_hybrid_files(typage: Typage, typage_keys: tuple[str, str],
                                       size: int, armor: bool) -> None:
    identity, recipient = typage_keys
    data = _data(size)
    sealed = _encrypt(data, [age.HybridIdentity.generate().recipient(),
                             age.parse_recipient(recipient)], armor)
    assert _types(sealed) == ("mlkem768x25519",) * 2
    assert typage.run("decrypt", data=sealed, identity=identity) == data


def test_typage_refuses_our_file_for_someone_else(typage: Typage,
                                                  typage_keys: tuple[str, str]) -> None:
    identity, _ = typage_keys
    sealed = _encrypt(b"not for you", [age.HybridIdentity.generate().recipient()], False)
    result = subprocess.run([typage.node, str(typage.tool), "decrypt"], input=sealed,
                            capture_output=True, timeout=60,
                            env={**os.environ, "AGE_IDENTITY": identity})
    assert result.returncode != 0 and result.stdout == b""


def test_typage_x25519_files_open_too(typage: Typage) -> None:
    """typage's classic recipients: the same X25519 stanza as the age binary's."""
    me = age.X25519Identity.generate()
    sealed = typage.run("encrypt", me.recipient().encode(), data=b"classic")
    assert _types(sealed) == ("X25519",)
    assert _decrypt(sealed, [me])[0] == b"classic"


