"""The command line: everything the window does, for scripts (docs/ARCHITECTURE.md; the
contract of commands, exit codes and --json fields is in docs/USER-GUIDE.md).

Imports are lazy: `--version` and `inspect` load neither Qt nor SQLAlchemy, so they
start fast. Errors are printed as one plain message and mapped to the documented exit
codes (0 ok, 1 other, 2 usage, 3 integrity, 4 key not usable, 5 keybox locked).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from vaultapp import __version__

if TYPE_CHECKING:
    import threading

    from vaultapp.core.keybox import Keybox

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    """An error line; stored names in it (profiles, slot labels) print escaped."""
    from vaultapp.core.text import printable_lines

    print(f"vaultapp: {printable_lines(message)}", file=sys.stderr)


def _shown(text: str) -> str:
    """Stored text (names, labels, audit rows) made safe for the terminal."""
    from vaultapp.core.text import printable

    return printable(text)


def _print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


class _Progress:
    """A one-line progress indicator on stderr for the file being done, only when stderr
    is a terminal and the file is large enough to need one (vaultapp.core.jobs.Progress
    reports bytes only for files that go alone)."""

    _tty: bool | None = None

    def __init__(self, verb: str) -> None:
        self.verb, self.path, self.enabled = verb, "", False
        self.name, self.total = "", 1

    def __call__(self, p: Any) -> None:
        if p.phase != "file":
            return
        if p.path != self.path:
            self.finish()
            if _Progress._tty is None:
                _Progress._tty = sys.stderr.isatty()
            self.path, self.name = p.path, os.path.basename(p.path)
            self.enabled = bool(_Progress._tty) and p.bytes_total > (8 << 20)
            self.total = max(p.bytes_total, 1)
        if self.enabled:
            sys.stderr.write(f"\r{self.verb} {self.name}: {100 * p.bytes_done // self.total:3d}%")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
        self.path, self.enabled = "", False


# --- passphrases --------------------------------------------------------------------------

def _env_passphrase() -> str | None:
    """VAULTAPP_PASSPHRASE, taken out of the environment on first read (secrets_env)."""
    from vaultapp.core.secrets_env import take_env_passphrase

    return take_env_passphrase()


def _typed(prompt: str) -> str:
    """A passphrase typed at the terminal; a usage error if it is not UTF-8 text."""
    import getpass

    from vaultapp.core.secrets_env import utf8_passphrase

    source = "the passphrase typed at the terminal"
    try:
        typed = getpass.getpass(prompt)
    except UnicodeError:
        typed = "\udcff"  # undecodable: refused below, without its bytes
    return utf8_passphrase(typed, source)


def _stdin_line(source: str = "the passphrase read by --passphrase-stdin") -> str:
    """One line of stdin, for --passphrase-stdin; a usage error if it is not UTF-8."""
    from vaultapp.core.secrets_env import utf8_passphrase

    raw = getattr(sys.stdin, "buffer", None)
    if raw is not None:
        return utf8_passphrase(raw.readline(), source).rstrip("\r\n")
    try:
        line = sys.stdin.readline()
    except UnicodeError:
        line = "\udcff"
    return utf8_passphrase(line, source).rstrip("\r\n")


def _read_new_passphrase(args: argparse.Namespace, required: bool) -> str | None:
    """The new passphrase: one stdin line, VAULTAPP_PASSPHRASE, or a terminal prompt."""
    from vaultapp.core.errors import UsageError

    if getattr(args, "passphrase_stdin", False):
        value = _stdin_line()
        if not value:
            raise UsageError("--passphrase-stdin read an empty line")
        return value
    env = _env_passphrase()
    if env:
        return env
    if sys.stdin.isatty():
        hint = "" if required else " (leave empty for none)"
        first = _typed(f"New recovery passphrase{hint}: ")
        if not first and not required:
            return None
        if _typed("Repeat it: ") != first:
            raise UsageError("the two passphrases differ; nothing was changed")
        if first:
            return first
    if required:
        raise UsageError(
            "a passphrase is needed: give it on stdin with --passphrase-stdin, in "
            "VAULTAPP_PASSPHRASE, or at the terminal prompt"
        )
    return None


def _ask_passphrase(failures: list[str]) -> str | None:
    if not sys.stdin.isatty():
        return None
    for line in failures:
        print(f"  {_shown(line)}", file=sys.stderr)
    return _typed("Keybox passphrase: ") or None


def _ask_pin(name: str, failures: list[str]) -> str | None:
    """A slot's PIN typed at the terminal (empty: skip that slot); none without one."""
    if not sys.stdin.isatty():
        return None
    for line in failures:
        print(f"  {_shown(line)}", file=sys.stderr)
    return _typed(f"PIN of key slot {_shown(name)} (empty to skip): ") or None


class _KeyPrompts:
    """How a security key (FIDO2 slot) reaches the person at the terminal: "Touch your
    security key…" on stderr before the key waits, its PIN typed at the terminal, or with
    `pin_stdin` one line of stdin (read once: a wrong PIN is then not asked again)."""

    cancel: threading.Event | None = None

    def __init__(self, pin_stdin: bool = False) -> None:
        self._pin_stdin = pin_stdin

    def touch(self, device: str) -> None:
        print(f"Touch your security key ({_shown(device)})…", file=sys.stderr, flush=True)

    def ask_pin(self, device: str, retries: int | None, wrong: bool) -> str | None:
        if self._pin_stdin:
            self._pin_stdin = False
            return _stdin_line("the PIN read by --pin-stdin") or None
        if not sys.stdin.isatty():
            return None
        import getpass

        left = "" if retries is None else f" ({retries} tries left)"
        try:
            return getpass.getpass(f"{'Wrong PIN. ' if wrong else ''}PIN of "
                                   f"{_shown(device)}{left}: ") or None
        except UnicodeError:
            return "\udcff"  # undecodable: refused as not UTF-8 text, without its bytes

    def no_pin(self, device: str) -> None:
        print(f"note: {_shown(device)} has no PIN set, so whoever holds it and a copy of the "
              "keybox can unlock with a touch; set a PIN with the key's own tool first for a "
              "second factor", file=sys.stderr)


# --- keybox access ------------------------------------------------------------------------

def _url(args: argparse.Namespace) -> str:
    from vaultapp.core.keybox.location import resolve_url

    return resolve_url(args.keybox)


def _open_keybox(args: argparse.Namespace, unlock: bool = True) -> Keybox:
    from vaultapp.core.keybox import Keybox

    box = Keybox.open(_url(args))
    return _unlocked(box) if unlock else box


def _unlocked(box: Keybox) -> Keybox:
    """Unlock `box` (VAULTAPP_PASSPHRASE, else asked when a passphrase slot is needed);
    close it if that fails."""
    from vaultapp.core.keybox.slots.fido2 import prompting

    try:
        with prompting(_KeyPrompts()):
            box.unlock(_env_passphrase(), _ask_passphrase, ask_pin=_ask_pin)
    except BaseException:
        box.close()
        raise
    return box


# --- commands -----------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from vaultapp.core.keybox import Keybox

    passphrase = _read_new_passphrase(args, required=args.no_keyring)
    box = Keybox.create(_url(args), use_keyring=not args.no_keyring, passphrase=passphrase)
    slots = ", ".join(s.label for s in box.slots())
    print(f"created keybox {box.keybox_id} at {box.location} (key slots: {slots})")
    if passphrase is None:
        print("no recovery passphrase: if this keyring entry is lost, the keybox is lost; "
              "add one with 'vaultapp slot add-passphrase'", file=sys.stderr)
    box.close()
    return EXIT_OK


def cmd_profile(args: argparse.Namespace) -> int:
    box = _open_keybox(args, unlock=args.action != "list")
    try:
        if args.action == "create":
            p = box.create_profile(args.name, args.rotate_every)
            print(f"created profile {_shown(p.name)} with primary key {p.primary_key_id}")
        elif args.action == "rename":
            p = box.rename_profile(args.old, args.new)
            print(f"renamed profile {_shown(args.old)} to {_shown(p.name)}")
        elif args.action == "delete":
            return _delete_profile(box, args)
        elif args.action == "set-rotation":
            p = box.set_rotation(args.name, args.days or None)
            print(f"profile {_shown(p.name)}: automatic rotation "
                  + (f"every {p.rotation_days} days" if p.rotation_days else "off"))
        else:
            profiles = box.profiles()
            if args.json:
                _print_json([p.to_json() for p in profiles])
            else:
                for p in profiles:
                    rot = f"  rotates every {p.rotation_days} d" if p.rotation_days else ""
                    print(f"{_shown(p.name)}\t{p.profile_id}\tprimary "
                          f"{p.primary_key_id or '-'}{rot}")
    finally:
        box.close()
    return EXIT_OK


def _delete_profile(box: Keybox, args: argparse.Namespace) -> int:
    """Delete a profile; one whose keys still open files only after the person confirmed
    (a terminal question, or --yes)."""
    from vaultapp.core.errors import ProfileHasKeysError

    try:
        box.delete_profile(args.name, allow_key_loss=args.yes)
    except ProfileHasKeysError as exc:
        if not sys.stdin.isatty():
            raise
        print(f"{_shown(str(exc))}.", file=sys.stderr)
        if not _confirm(f"Delete {_shown(args.name)} and lose its keys for good?"):
            print("nothing deleted")
            return EXIT_ERROR
        box.delete_profile(args.name, allow_key_loss=True)
    print(f"deleted profile {_shown(args.name)}")
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _list_keys(args: argparse.Namespace) -> int:
    box = _open_keybox(args, unlock=False)
    try:
        keys = box.keys(args.profile)
    finally:
        box.close()
    if args.json:
        _print_json([k.to_json() for k in keys])
    else:
        for k in keys:
            mark = "*" if k.primary else " "
            print(f"{mark} {k.key_id}  {_shown(k.profile)}  v{k.version}  {k.state}  "
                  f"{k.created_at:%Y-%m-%d %H:%M}Z  files {k.files_sealed}")
    return EXIT_OK


def cmd_key(args: argparse.Namespace) -> int:
    from vaultapp.core.errors import UsageError
    from vaultapp.core.keybox.states import KeyState

    if args.action == "list":
        return _list_keys(args)
    box = _open_keybox(args)
    try:
        if args.action == "rotate":
            k = box.rotate(args.profile)
            print(f"profile {_shown(k.profile)}: new primary key {k.key_id} (version {k.version}); "
                  "older keys stay enabled for opening")
        elif args.action == "enable":
            k = box.enable(args.key_id)
            print(f"key {k.key_id} is {k.state}")
        elif args.action == "disable":
            k = box.disable(args.key_id)
            print(f"key {k.key_id} is {k.state}")
        elif args.action == "cancel-destroy":
            k = box.cancel_destroy(args.key_id)
            print(f"destruction of key {k.key_id} cancelled; the key is {k.state}")
        elif args.action == "destroy":
            k = box.key(args.key_id)
            if args.after == 0 and not args.yes:
                question = (f"Destroy key {k.key_id} of {_shown(k.profile)} now? Files sealed only "
                            f"under it ({k.files_sealed} known) can never be opened again.")
                if not sys.stdin.isatty():
                    raise UsageError("destroying at once needs --yes when there is no terminal")
                if not _confirm(question):
                    print("nothing destroyed")
                    return EXIT_ERROR
            k = box.schedule_destroy(k.key_id, args.after)
            if k.state is KeyState.DESTROYED:
                print(f"key {k.key_id} destroyed; files sealed only under it are unrecoverable")
            else:
                print(f"key {k.key_id} will be destroyed after {k.destroy_after:%Y-%m-%d %H:%M}Z"
                      "; cancel with 'vaultapp key cancel-destroy'")
    finally:
        box.close()
    return EXIT_OK


def cmd_slot(args: argparse.Namespace) -> int:
    box = _open_keybox(args, unlock=args.action != "list")
    try:
        if args.action == "list":
            slots = box.slots()
            if args.json:
                _print_json([s.to_json() for s in slots])
            else:
                for s in slots:
                    print(f"{s.slot_id}\t{_shown(s.kind)}\t{_shown(s.label)}")
        elif args.action == "add-passphrase":
            s = box.add_passphrase_slot(_read_new_passphrase(args, required=True) or "",
                                        label=args.label)
            print(f"added passphrase slot {s.slot_id}")  # scripts take the id, last
        elif args.action == "rename":
            s = box.rename_slot(args.slot_id, args.label)
            print(f"key slot {s.slot_id} is now called {_shown(s.label)}")
        elif args.action == "add-keyring":
            if args.wrap_with_aws_kms:
                s = _add_kms_slot(box, args.wrap_with_aws_kms, args, keyring=True)
            else:
                s = box.add_keyring_slot()
            print(f"added keyring slot {s.slot_id}")
        elif args.action == "add-aws-kms":
            s = _add_kms_slot(box, args.key_id, args, keyring=False)
            print(f"added AWS KMS slot {s.slot_id} ({_shown(s.label)})")
        elif args.action == "add-recovery-code":
            return _add_recovery_code(box, args)
        elif args.action == "add-tpm":
            from vaultapp.core.keybox.slots.tpm import TpmRequest

            s = box.add_slot(TpmRequest(_new_tpm_pin(args)), label=args.label)
            print(f"added TPM slot {s.slot_id}")
        elif args.action == "add-fido2":
            from vaultapp.core.keybox.slots.fido2 import Fido2Request

            s = box.add_slot(Fido2Request(_KeyPrompts(args.pin_stdin)), label=args.label)
            print(f"added security key slot {s.slot_id}")
        elif args.action == "remove":
            return _remove_slot(box, args)
    finally:
        box.close()
    return EXIT_OK


def _remove_slot(box: Keybox, args: argparse.Namespace) -> int:
    """Remove a slot; the last one that survives the loss of this machine only after
    the person confirmed (a terminal question, or --yes)."""
    from vaultapp.core.errors import LastPortableSlotError

    try:
        box.remove_slot(args.slot_id, allow_last_portable=args.yes)
    except LastPortableSlotError as exc:
        if not sys.stdin.isatty():
            raise
        print(f"{_shown(str(exc))}.", file=sys.stderr)
        if not _confirm("Remove it anyway?"):
            print("nothing removed")
            return EXIT_ERROR
        box.remove_slot(args.slot_id, allow_last_portable=True)
    print(f"removed key slot {args.slot_id}")
    return EXIT_OK


def _add_recovery_code(box: Keybox, args: argparse.Namespace) -> int:
    """Add a recovery code slot and show its code: here, once, and never again."""
    from vaultapp.core.keybox.slots.recovery_code import RecoveryCodeRequest

    request = RecoveryCodeRequest()
    s = box.add_slot(request, label=args.label)
    print(f"Recovery code of keybox {box.keybox_id}:\n\n    {request.code}\n\n"
          "Write this down now and keep it somewhere safe: it is shown once and never "
          "again.\nIt unlocks the keybox wherever a passphrase is asked for.")
    print(f"added recovery code slot {s.slot_id}")  # scripts take the id, last
    return EXIT_OK


def _new_tpm_pin(args: argparse.Namespace) -> str | None:
    """The new TPM slot's PIN: none without --pin or --pin-stdin; one stdin line with
    --pin-stdin; else typed twice at the terminal."""
    from vaultapp.core.errors import UsageError

    if args.pin_stdin:
        return _stdin_line("the PIN read by --pin-stdin")
    if not args.pin:
        return None
    if not sys.stdin.isatty():
        raise UsageError("--pin asks for the PIN at the terminal; without one, give it as "
                         "one line of stdin with --pin-stdin")
    first = _typed("New TPM PIN: ")
    if _typed("Repeat it: ") != first:
        raise UsageError("the two PINs differ; nothing was changed")
    return first


def _add_kms_slot(box: Keybox, key_arn: str, args: argparse.Namespace, keyring: bool) -> Any:
    return box.add_kms_slot(key_arn, region=args.region, endpoint_url=args.endpoint_url,
                            keyring=keyring)


def _run_files(args: argparse.Namespace, mode: str, keys: Any, verb: str,
               output: Path | None = None, force: bool = False) -> int:
    """Plan and run `mode` on every FILE (vaultapp.core.jobs); print each file's line as
    it is settled, each failure as 'vaultapp: FILE: message'. Returns the first failure's
    exit code (0 when every file succeeded)."""
    from vaultapp.core import jobs

    plan = jobs.plan_files([Path(f) for f in args.files], mode, keys.resolver, output)
    progress = _Progress(verb)
    code = EXIT_OK

    def report(outcome: jobs.FileOutcome) -> None:
        nonlocal code
        progress.finish()
        if outcome.ok:
            named_by_file = output is None or output.is_dir()
            print(_outcome_line(outcome) + (_stored_name_note(outcome) if named_by_file
                                            else ""))
            return
        error = outcome.error
        if isinstance(error, OSError):
            _err(f"{outcome.path}: {error.strerror or error}")
            code = code or EXIT_ERROR
        elif error is not None:
            from vaultapp.cli_hints import describe

            _err(f"{outcome.path}: {describe(error)}")
            code = code or error.exit_code

    try:
        result = jobs.run_plan(plan, keys, policy=jobs.ConflictPolicy.command_line(force),
                               progress=progress, on_outcome=report)
    finally:
        progress.finish()
    if result.audit_error is not None:
        raise result.audit_error
    return code


def _stored_name_note(outcome: Any) -> str:
    """When an opened file takes a stored name other than its sealed file's name without
    `.vault`, say so: the sealer chose the name, and it may surprise."""
    sealed = Path(outcome.path).name
    if outcome.mode != "open" or outcome.output is None or not sealed.endswith(".vault"):
        return ""
    expected = sealed[:-len(".vault")]
    if Path(outcome.output).name == expected:
        return ""
    from vaultapp.core.text import printable

    return f" (the name stored in the file, not {printable(expected)!r})"


def _outcome_line(outcome: Any) -> str:
    """The line a file that succeeded prints (the contract scripts parse)."""
    mode, path = outcome.mode, outcome.path
    if mode == "seal":
        return f"sealed {path} -> {outcome.output}"
    if mode == "open":
        return f"opened {path} -> {outcome.output}"
    if mode == "share":
        return f"encrypted {path} -> {outcome.output} (an age file)"
    if mode == "verify":
        return f"ok {path} ({outcome.size} bytes, key {(outcome.key_id or b'').hex()[:8]})"
    if outcome.previous_key_id is None:
        return f"{path} is already sealed under the current primary key"
    return (f"rewrapped {path}: key {outcome.previous_key_id.hex()[:8]} -> "
            f"{(outcome.key_id or b'').hex()[:8]}")


def _inputs(args: argparse.Namespace) -> None:
    """FILE arguments as files: a folder stands for every file under it (as a drop on
    the window does); a folder that yields none, or a link to one, is a usage error."""
    from vaultapp.core.errors import UsageError
    from vaultapp.core.jobs import Skipped, expand_paths

    given = [Path(f) for f in args.files]
    folders = [p for p in given if p.is_dir()]
    if not folders:
        return  # plain files, as given: the run says why one cannot be read
    skipped: list[Skipped] = []
    files: list[Path] = []
    for p in given:
        if p in folders:
            files.extend(expand_paths([p], skipped=skipped))
        else:
            files.append(p)
    if skipped:
        raise UsageError("; ".join(f"{s.path}: {s.reason}" for s in skipped))
    args.files = [str(f) for f in files]


def _check_output(args: argparse.Namespace) -> Path | None:
    """-o's rules: "-" is standard output (one FILE); a trailing slash names a folder,
    made when missing; an existing folder receives the outputs; anything else is the
    output file's path (one FILE)."""
    from vaultapp.core.errors import UsageError

    if not args.output:
        return None
    if args.output == "-":
        if len(args.files) != 1:
            raise UsageError("-o - writes one output to standard output: give one FILE")
        return None
    out = Path(args.output)
    if args.output.endswith(("/", os.sep)):
        try:
            out.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise UsageError(f"-o {args.output}: {out} exists and is not a folder") from None
    if len(args.files) > 1 and not out.is_dir():
        raise UsageError("-o must be a folder when there is more than one FILE (an existing "
                         "one, or end it with / to have it made)")
    return out


def _to_stdout(args: argparse.Namespace) -> bool:
    return bool(args.output == "-")


def _stream_failed(exc: Exception, path: str) -> int:
    """A failure after part of the output went to standard output."""
    _err(f"{path}: the output written to standard output is incomplete; discard it")
    return _report(exc)


def cmd_seal(args: argparse.Namespace) -> int:
    from vaultapp.core import fileops
    from vaultapp.core.jobs import SEAL, Keys

    _inputs(args)
    out = _check_output(args)
    if args.to or args.with_passphrase:
        return _share(args, out)
    box = _open_keybox(args)
    try:
        profile = box.default_profile(args.profile)
        recipient = box.recipient(profile)
        if _to_stdout(args):
            try:
                result = fileops.seal_to_stream(Path(args.files[0]), [recipient],
                                                sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except Exception as exc:
                return _stream_failed(exc, args.files[0])
            box.record_sealed(result.key_id or b"", 1, profile)
            return EXIT_OK
        keys = Keys(resolver=box, recipient=recipient, profile=profile,
                    record_sealed=box.record_sealed)
        return _run_files(args, SEAL, keys, "sealing", out, args.force)
    finally:
        box.close()


def _share(args: argparse.Namespace, out: Path | None) -> int:
    """`seal --to …` / `seal --with-passphrase`: FILE -> FILE.age, a standard age file.
    Contact and identity names are looked up in the unlocked keybox (its authenticated
    state vouches for them); recipient strings alone need no keybox."""
    from vaultapp.core import age, age_fileops
    from vaultapp.core.errors import UsageError
    from vaultapp.core.jobs import SHARE, Keys

    box = None
    try:
        if args.with_passphrase:
            if args.to:
                raise UsageError("--with-passphrase makes a passphrase file: it takes no --to")
            recipients: list[age.Recipient] = [age.ScryptRecipient(_new_file_passphrase(args))]
        elif all(t.strip().startswith("age1") for t in args.to):
            recipients = [age.parse_recipient(t) for t in args.to]
        else:
            box = _open_keybox(args)
            recipients = list(box.people.recipients(args.to))
        if _to_stdout(args):
            try:
                age_fileops.share_to_stream(Path(args.files[0]), recipients,
                                            sys.stdout.buffer, armor=args.armor)
                sys.stdout.buffer.flush()
            except Exception as exc:
                return _stream_failed(exc, args.files[0])
            return EXIT_OK
        return _run_files(args, SHARE, Keys(share_with=recipients, armor=args.armor),
                          "encrypting", out, args.force)
    finally:
        if box is not None:
            box.close()


def _new_file_passphrase(args: argparse.Namespace) -> str:
    """The passphrase of a new age passphrase file: one stdin line (--passphrase-stdin),
    else typed twice at the terminal. The strength rule of every new passphrase applies."""
    from vaultapp.core.errors import UsageError
    from vaultapp.core.strength import require_strong

    if args.passphrase_stdin:
        value = _stdin_line()
    elif sys.stdin.isatty():
        value = _typed("Passphrase for the file: ")
        if _typed("Repeat it: ") != value:
            raise UsageError("the two passphrases differ; nothing was written")
    else:
        raise UsageError("--with-passphrase needs the passphrase on the terminal or, with "
                         "--passphrase-stdin, as one line of stdin")
    require_strong(value)
    return value


def _age_kinds(files: list[str]) -> dict[str, str]:
    """Which FILEs are age files: "age" (opened with the keybox's identities) or
    "passphrase" (an scrypt file). Unreadable or damaged ones are left to the run."""
    from vaultapp.core import age_fileops
    from vaultapp.core.errors import VaultError

    kinds: dict[str, str] = {}
    for f in files:
        try:
            if age_fileops.is_age_file(f):
                facts = age_fileops.header_facts(Path(f))
                kinds[f] = "passphrase" if facts.passphrase else "age"
        except (OSError, VaultError):
            kinds[f] = "age"
    return kinds


def cmd_open(args: argparse.Namespace) -> int:
    """Open sealed files and age files. A passphrase age file's passphrase comes from the
    terminal (or --passphrase-stdin); every other file needs the keybox. When every FILE
    is an age file (and the output is not stdout), the keybox is opened when the first
    of them asks for the identities, which is after its output has been made and room
    for a large one is being allocated (age.Identities): the two overlap."""
    from vaultapp.core import age, age_fileops, fileops
    from vaultapp.core.jobs import OPEN, Keys, RunStopped

    _inputs(args)
    out = _check_output(args)
    kinds = _age_kinds(args.files)
    passphrase = None
    if "passphrase" in kinds.values():
        passphrase = _stdin_line() if args.passphrase_stdin else \
            _typed("Passphrase of the age file: ") if sys.stdin.isatty() else None
    needs_box = any(kinds.get(f) != "passphrase" for f in args.files)
    later = needs_box and not _to_stdout(args) and all(f in kinds for f in args.files)
    box = _open_keybox(args) if needs_box and not later else None

    def identities() -> list[age.Identity]:
        nonlocal box
        found: list[age.Identity] = [age.ScryptIdentity(passphrase)] if passphrase else []
        if later and box is None:
            try:
                box = _open_keybox(args)
            except Exception as exc:
                raise RunStopped(exc) from exc
        if box is not None:
            found += box.people.age_identities()
        return found

    try:
        if _to_stdout(args):
            path = Path(args.files[0])
            try:
                if args.files[0] in kinds:
                    age_fileops.open_age_to_stream(path, identities(), sys.stdout.buffer)
                else:
                    assert box is not None
                    fileops.open_to_stream(path, box, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except Exception as exc:
                return _stream_failed(exc, args.files[0])
            return EXIT_OK
        return _run_files(args, OPEN, Keys(resolver=box, age_identities=identities),
                          "opening", out, args.force)
    except RunStopped as stopped:
        raise stopped.error from None
    finally:
        if box is not None:
            box.close()


def cmd_verify(args: argparse.Namespace) -> int:
    from vaultapp.core.jobs import VERIFY, Keys

    box = _open_keybox(args)
    try:
        return _run_files(args, VERIFY, Keys(resolver=box), "verifying")
    finally:
        box.close()


def cmd_inspect(args: argparse.Namespace) -> int:
    from vaultapp.core import age_fileops, fileops

    path = Path(args.file)
    if age_fileops.is_age_file(path):
        return _inspect_age(args, path)
    header = fileops.inspect_file(path)
    facts = {
        "format_version": header.version,
        "chunk_size": header.chunk_size,
        "header_size": header.size,
        "file_size": path.stat().st_size,
        "stanzas": [{"profile_id": s.profile_id.hex(), "key_id": s.key_id.hex()}
                    for s in header.stanzas],
    }
    if args.json:
        _print_json(facts)
    else:
        print(f"{path}: vaultapp sealed file, format v{header.version}, "
              f"chunk size {header.chunk_size}, {len(header.stanzas)} stanza(s)")
        for s in header.stanzas:
            print(f"  profile {s.profile_id.hex()}  key {s.key_id.hex()}")
    return EXIT_OK


def _inspect_age(args: argparse.Namespace, path: Path) -> int:
    """An age file's header facts: its stanza types and whether all are post-quantum."""
    from vaultapp.core import age_fileops

    facts = age_fileops.header_facts(path)
    pq = facts.post_quantum
    if args.json:
        _print_json({"format": "age", "armored": facts.armored, "post_quantum": pq,
                     "passphrase": facts.passphrase, "file_size": path.stat().st_size,
                     "stanzas": [{"type": t} for t in facts.stanza_types]})
        return EXIT_OK
    safety = ("post-quantum (every recipient is hybrid, or a passphrase)" if pq else
              "not post-quantum (a classic X25519 recipient: a future quantum computer "
              "could open it)" if pq is False else "post-quantum: unknown stanza types")
    print(f"{path}: age file{' (armored)' if facts.armored else ''}, "
          f"{len(facts.stanza_types)} stanza(s); {safety}")
    for t in facts.stanza_types:
        print(f"  {_shown(t)}")
    return EXIT_OK


def cmd_rewrap(args: argparse.Namespace) -> int:
    from vaultapp.core.jobs import REWRAP, Keys
    from vaultapp.core.jobs.rewrap import rewrap_in_place

    box = _open_keybox(args)
    try:
        return _run_files(args, REWRAP,
                          Keys(resolver=box, rewrap=lambda path: rewrap_in_place(path, box)),
                          "rewrapping")
    finally:
        box.close()


def cmd_log(args: argparse.Namespace) -> int:
    box = _open_keybox(args, unlock=False)
    try:
        entries = box.audit_log()
    finally:
        box.close()
    if args.json:
        _print_json([e.to_json() for e in entries])
    else:
        for e in entries:
            print(f"{e.at:%Y-%m-%d %H:%M:%S}Z  {_shown(e.actor)}  {_shown(e.action)}  "
                  f"{_shown(e.profile or '-')}  {_shown((e.key_id or '-')[:8])}  "
                  f"{_shown(e.details)}")
    return EXIT_OK


def cmd_keybox(args: argparse.Namespace) -> int:
    from vaultapp.core.keybox import maintenance

    url = _url(args)
    if args.action == "check":
        if args.slot:
            return _check_slot(args)
        unlock = bool(_env_passphrase() or args.unlock)
        report = maintenance.check(url, (lambda: _open_keybox(args)) if unlock else None)
        for note in report.notes:
            print(f"note: {_shown(note)}")
        if report.ok:
            print("keybox ok")
            return EXIT_OK
        for problem in report.problems:
            _err(f"problem: {problem}")
        _err("the keybox has problems; nothing was changed. Restore a backup with "
             "'vaultapp keybox restore FROM'")
        return EXIT_ERROR
    if args.action == "backup":
        maintenance.sqlite_only(url, "backing up")  # before unlocking a team keybox
        box = _open_keybox(args)
        try:
            out = maintenance.backup(box, Path(args.out), force=args.force)
        finally:
            box.close()
        print(f"backup written to {out} (it is protected by the same key slots)")
        return EXIT_OK
    return _restore(args, url)


def _check_slot(args: argparse.Namespace) -> int:
    """`keybox check --unlock --slot SLOT_ID`: unlock through that one slot only (its
    passphrase from VAULTAPP_PASSPHRASE, --passphrase-stdin or the terminal), so that a
    person can verify an emergency kit while the keyring still works."""
    from vaultapp.core.errors import UsageError
    from vaultapp.core.keybox import Keybox

    if not args.unlock:
        raise UsageError("--slot tests a slot by unlocking through it: give --unlock too")
    from vaultapp.core.keybox.slots.fido2 import prompting

    box = Keybox.open(_url(args))
    try:
        line = _stdin_line() if args.passphrase_stdin else None  # a passphrase, code or PIN
        given = line if line is not None else _env_passphrase()
        with prompting(_KeyPrompts()):
            label = box.unlock(given, _ask_passphrase, slot_id=args.slot,
                               ask_pin=(lambda name, failures: line) if line else _ask_pin)
        print(f"key slot {_shown(label)} unlocks the keybox")
    finally:
        box.close()
    return EXIT_OK


def _restore(args: argparse.Namespace, url: str) -> int:
    """Replace the keybox with a backup: the one explicit way back to an older state, so
    it asks first (or takes --yes), then pins the restored keybox on this machine."""
    from vaultapp.core.errors import UsageError
    from vaultapp.core.keybox import maintenance, pin
    from vaultapp.core.keybox.location import describe_location

    maintenance.validate_backup(url, Path(args.source))  # refuse junk before asking
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("restoring replaces the keybox with an older state; give --yes "
                             "when there is no terminal to ask")
        if not _confirm(f"Replace the keybox with {args.source}? Keys, slots and history "
                        "go back to that backup's state."):
            print("nothing restored")
            return EXIT_ERROR
    kept = maintenance.restore(url, Path(args.source))
    pin.forget(describe_location(url))
    box = _open_keybox(args)
    try:
        box.record_event("keybox.restore", f"restored from {args.source}; previous keybox "
                         f"kept as {kept}")
    finally:
        box.close()
    print(f"keybox restored from {args.source}; the replaced keybox was kept as {kept}")
    return EXIT_OK


def cmd_identity(args: argparse.Namespace) -> int:
    """Your age identities: what people encrypt to when they share a file with you.

    Every action unlocks, `show` and `list` too: a recipient printed here is handed to
    other people, so it must be one the keybox's authenticated state vouches for, not
    whatever someone who can write the database put in its row."""
    box = _open_keybox(args, unlock=True)
    try:
        people = box.people
        if args.action == "new":
            made = people.new_identity(args.name, classic=args.classic)
            print(f"identity {_shown(made.name)} ({made.kind}): {made.recipient}")
        elif args.action == "list":
            found = people.identities()
            if args.json:
                _print_json([p.to_json() for p in found])
            for p in [] if args.json else found:
                print(f"{_shown(p.name)}\t{p.kind}\t{p.recipient}")
        elif args.action == "show":
            print(people.identity(args.name).recipient)  # alone: $(vaultapp identity show)
        elif args.action == "export":
            return _export_identity(box, args)
        elif args.action == "import":
            text = Path(args.file).read_text(encoding="utf-8")
            made = people.import_identity(text, args.name)
            print(f"imported identity {_shown(made.name)} ({made.kind}): {made.recipient}")
    finally:
        box.close()
    return EXIT_OK


def _export_identity(box: Keybox, args: argparse.Namespace) -> int:
    """Write an identity's secret as an age identity file, owner-only; asks first."""
    from vaultapp.core.atomic import AtomicFile
    from vaultapp.core.errors import UsageError

    person = box.people.identity(args.name)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("exporting an identity writes its secret key to a file; give "
                             "--yes when there is no terminal to ask")
        if not _confirm(f"Write the secret key of {_shown(person.name)} to {args.output}? "
                        "Whoever has that file opens every file shared with it."):
            print("nothing exported")
            return EXIT_ERROR
    text = box.people.export_identity(person.name).encode()
    with AtomicFile(Path(args.output), force=args.force) as out:  # created 0600
        out.write(memoryview(text))
        out.commit()
    print(f"identity {_shown(person.name)} written to {args.output} (owner-only); use it "
          f"with: age -d -i {args.output}")
    return EXIT_OK


def cmd_contact(args: argparse.Namespace) -> int:
    """Other people's age recipients, under names you choose. `list` unlocks too, for
    the reason `cmd_identity` gives: people decide whom to share with from it."""
    box = _open_keybox(args, unlock=True)
    try:
        people = box.people
        if args.action == "add":
            p = people.add_contact(args.name, args.recipient)
            note = "" if p.post_quantum else " (classic X25519: not post-quantum)"
            print(f"added contact {_shown(p.name)} ({p.kind}){note}")
        elif args.action == "list":
            found = people.contacts()
            if args.json:
                _print_json([p.to_json() for p in found])
            for p in [] if args.json else found:
                print(f"{_shown(p.name)}\t{p.kind}\t{p.recipient}")
        elif args.action == "rename":
            p = people.rename_contact(args.old, args.new)
            print(f"renamed contact {_shown(args.old)} to {_shown(p.name)}")
        elif args.action == "remove":
            people.remove_contact(args.name)
            print(f"removed contact {_shown(args.name)}")
    finally:
        box.close()
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from vaultapp.selftest import run_selftest

    return run_selftest(print)


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the window (or hand FILEs to the running one). FILEs are made absolute
    against this process's folder first; FILEs that do not exist are named on stderr,
    are not handed over, and make the exit code 1."""
    from vaultapp.gui.app import run_gui

    gc.set_threshold(*_DEFAULT_GC_THRESHOLDS)  # imported; the window's own collector
    files = [Path(os.path.abspath(f)) for f in getattr(args, "files", [])]
    missing = [f for f in files if not os.path.lexists(f)]
    for f in missing:
        _err(f"{f}: no such file or folder; it was not handed to the window")
    code = run_gui(args.keybox, [f for f in files if f not in missing])
    return code or (EXIT_ERROR if missing else EXIT_OK)


# --- parser -------------------------------------------------------------------------------

EXIT_CODES = """exit codes:
  0  ok
  1  other error (I/O, an output exists, a conflict)
  2  usage (a wrong command, argument or passphrase rule)
  3  file integrity failure (tampered, truncated, wrong key, not a sealed file)
  4  key not usable (unknown, disabled, pending destruction, destroyed)
  5  keybox locked (no key slot could unlock it)
  6  keybox integrity failure (changed outside vaultapp, rolled back, or not the
     keybox this machine pinned)"""


def _with_exit_codes(sub: Any) -> None:
    """Every parser made from `sub` (and their own subparsers) shows the exit codes in
    its --help."""
    plain = sub.add_parser

    def add_parser(*args: Any, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs.setdefault("epilog", EXIT_CODES)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        parser: argparse.ArgumentParser = plain(*args, **kwargs)
        original = parser.add_subparsers

        def add_subparsers(**kw: Any) -> Any:
            nested = original(**kw)
            _with_exit_codes(nested)
            return nested

        parser.add_subparsers = add_subparsers  # type: ignore[method-assign]
        return parser

    sub.add_parser = add_parser

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vaultapp",
        description="Seal and open files under keys kept in an encrypted keybox. "
        "With no command, the window starts.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"vaultapp {__version__}")
    p.add_argument("--keybox", metavar="URL|PATH",
                   help="keybox file or database URL (default: VAULTAPP_KEYBOX, else the "
                   "user's data folder)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    _with_exit_codes(sub)

    s = sub.add_parser("init", help="create a keybox; the root key goes into the OS keyring")
    s.add_argument("--no-keyring", action="store_true",
                   help="do not use the OS keyring (then a passphrase is required)")
    s.add_argument("--passphrase-stdin", action="store_true",
                   help="read the new recovery passphrase as one line of stdin")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("profile", help="create, list and rename profiles")
    ps = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = ps.add_parser("create", help="create a profile with its first primary key")
    c.add_argument("name")
    c.add_argument("--rotate-every", type=int, metavar="DAYS",
                   help="rotate the primary key automatically after DAYS")
    c = ps.add_parser("list", help="list profiles")
    c.add_argument("--json", action="store_true")
    c = ps.add_parser("rename", help="rename a profile")
    c.add_argument("old")
    c.add_argument("new")
    c = ps.add_parser("delete", help="delete a profile and its keys (asks when keys that "
                      "still open files would be lost)")
    c.add_argument("name")
    c.add_argument("--yes", action="store_true",
                   help="delete even when keys that still open files are lost")
    c = ps.add_parser("set-rotation", help="set the automatic rotation period (0 = off)")
    c.add_argument("name")
    c.add_argument("days", type=int)
    s.set_defaults(func=cmd_profile)

    s = sub.add_parser("key", help="list, rotate, enable, disable and destroy profile keys")
    ks = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = ks.add_parser("list", help="list keys")
    c.add_argument("--profile")
    c.add_argument("--json", action="store_true")
    c = ks.add_parser("rotate", help="make a new primary key for a profile")
    c.add_argument("--profile", required=True)
    for name, text in (("enable", "enable a disabled key"), ("disable", "disable a key"),
                       ("cancel-destroy", "cancel a scheduled destruction (key stays disabled)")):
        c = ks.add_parser(name, help=text)
        c.add_argument("key_id", metavar="KEY_ID")
    c = ks.add_parser("destroy", help="destroy a key after a waiting period (or at once)")
    c.add_argument("key_id", metavar="KEY_ID")
    c.add_argument("--after", type=int, default=7, metavar="DAYS",
                   help="days to wait (default 7; 0 destroys at once)")
    c.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    s.set_defaults(func=cmd_key)

    s = sub.add_parser("slot", help="list, add and remove key slots")
    ss = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = ss.add_parser("list", help="list key slots")
    c.add_argument("--json", action="store_true")
    c = ss.add_parser("add-passphrase", help="add a recovery passphrase slot")
    c.add_argument("--passphrase-stdin", action="store_true",
                   help="read the new passphrase as one line of stdin")
    c.add_argument("--label", help="a name for the slot (default: a unique one)")
    c = ss.add_parser("rename", help="give a key slot another label")
    c.add_argument("slot_id", metavar="SLOT_ID")
    c.add_argument("label", metavar="LABEL")
    c = ss.add_parser("add-keyring", help="add an OS keyring slot")
    c.add_argument("--wrap-with-aws-kms", metavar="ARN")
    c.add_argument("--region")
    c.add_argument("--endpoint-url")
    c = ss.add_parser("add-aws-kms", help="add a slot wrapped by an AWS KMS key")
    c.add_argument("--key-id", required=True, metavar="ARN")
    c.add_argument("--region")
    c.add_argument("--endpoint-url")
    c = ss.add_parser("add-recovery-code", help="add a printable recovery code slot (the "
                      "code is shown once)")
    c.add_argument("--label", help="a name for the slot (default: a unique one)")
    c = ss.add_parser("add-tpm", help="add a slot sealed to this machine's TPM 2.0")
    c.add_argument("--label", help="a name for the slot (default: a unique one)")
    c.add_argument("--pin", action="store_true", help="protect it with a PIN, typed twice")
    c.add_argument("--pin-stdin", action="store_true",
                   help="read the PIN as one line of stdin (implies --pin)")
    c = ss.add_parser("add-fido2", help="add a hardware security key (FIDO2) slot: connect "
                      "only that key and touch it; its PIN, when it has one, is asked at the "
                      "terminal")
    c.add_argument("--label", help="a name for the slot (default: a unique one)")
    c.add_argument("--pin-stdin", action="store_true",
                   help="read the security key's PIN as one line of stdin instead")
    c = ss.add_parser("remove", help="remove a key slot (never the last one; the last one "
                      "that survives losing this machine only with --yes)")
    c.add_argument("slot_id", metavar="SLOT_ID")
    c.add_argument("--yes", action="store_true",
                   help="remove it even if it is the last slot that survives losing this "
                   "machine")
    s.set_defaults(func=cmd_slot)

    for name, func, text in (("seal", cmd_seal, "seal files: FILE -> FILE.vault, or with --to "
                              "FILE -> FILE.age for people"),
                             ("open", cmd_open, "open sealed files and age files, restoring "
                              "their names")):
        s = sub.add_parser(name, help=text)
        if name == "seal":
            s.add_argument("--profile", help="profile to seal for (default: the only one)")
            s.add_argument("--to", action="append", default=[], metavar="NAME|RECIPIENT",
                           help="share as an age file with a contact, one of your identities "
                           "or an age recipient (age1…, age1pq1…); repeat for several")
            s.add_argument("--with-passphrase", action="store_true",
                           help="share as an age file protected by a passphrase (scrypt)")
            s.add_argument("--armor", action="store_true",
                           help="write the age file as ASCII armor (text)")
        s.add_argument("--passphrase-stdin", action="store_true",
                       help="read the age file's passphrase as one line of stdin")
        s.add_argument("-o", "--output", metavar="OUT",
                       help="a folder for the outputs (an existing one, or DIR/ to make it), "
                       "the output file's path, or - for standard output (one FILE)")
        s.add_argument("--force", action="store_true", help="replace existing outputs")
        s.add_argument("files", nargs="+", metavar="FILE",
                       help="files, or folders (every file under them)")
        s.set_defaults(func=func)

    s = sub.add_parser("verify", help="authenticate every byte of sealed files; write nothing")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.set_defaults(func=cmd_verify)
    s = sub.add_parser("inspect", help="show a sealed file's header; no key needed")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_inspect)
    s = sub.add_parser("rewrap", help="rewrap sealed files to the profile's current primary key")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.set_defaults(func=cmd_rewrap)
    s = sub.add_parser("log", help="the audit log of key and slot changes")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_log)
    s = sub.add_parser("keybox", help="check, back up or restore the keybox")
    kbs = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = kbs.add_parser("check", help="integrity check and our own invariants")
    c.add_argument("--unlock", action="store_true",
                   help="also unwrap every key (asks for the passphrase if needed)")
    c.add_argument("--slot", metavar="SLOT_ID",
                   help="with --unlock: unlock through this slot only (test a passphrase)")
    c.add_argument("--passphrase-stdin", action="store_true",
                   help="with --slot: read the slot's passphrase, recovery code or PIN "
                   "as one line of stdin")
    c = kbs.add_parser("backup", help="write a consistent copy of the keybox")
    c.add_argument("out", metavar="OUT")
    c.add_argument("--force", action="store_true", help="replace an existing OUT")
    c = kbs.add_parser("restore", help="replace the keybox with a backup (asks first)")
    c.add_argument("source", metavar="FROM")
    c.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    s.set_defaults(func=cmd_keybox)

    s = sub.add_parser("identity", help="your age identities (what people share files "
                       "with)")
    ids = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = ids.add_parser("new", help="make an identity (post-quantum hybrid unless --classic)")
    c.add_argument("name", nargs="?", metavar="NAME")
    c.add_argument("--classic", action="store_true",
                   help="an X25519 identity (for people whose age is older than 1.3)")
    c = ids.add_parser("list", help="list identities")
    c.add_argument("--json", action="store_true")
    c = ids.add_parser("show", help="print an identity's recipient (the default: the first)")
    c.add_argument("name", nargs="?", metavar="NAME")
    c = ids.add_parser("export", help="write an identity's secret key as an age identity "
                       "file (asks first)")
    c.add_argument("name", metavar="NAME")
    c.add_argument("-o", "--output", required=True, metavar="FILE")
    c.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    c.add_argument("--force", action="store_true", help="replace an existing FILE")
    c = ids.add_parser("import", help="take in an age identity file (AGE-SECRET-KEY-…)")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--name", metavar="NAME")
    s.set_defaults(func=cmd_identity)

    s = sub.add_parser("contact", help="other people's age recipients")
    cs = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = cs.add_parser("add", help="remember a recipient under a name")
    c.add_argument("name", metavar="NAME")
    c.add_argument("recipient", metavar="RECIPIENT")
    c = cs.add_parser("list", help="list contacts")
    c.add_argument("--json", action="store_true")
    c = cs.add_parser("rename", help="rename a contact")
    c.add_argument("old")
    c.add_argument("new")
    c = cs.add_parser("remove", help="forget a contact")
    c.add_argument("name", metavar="NAME")
    s.set_defaults(func=cmd_contact)

    s = sub.add_parser("selftest", help="seal and open in a throwaway keybox")
    s.set_defaults(func=cmd_selftest)
    s = sub.add_parser("gui", help="start the window; FILEs are handled as if dropped")
    s.add_argument("files", nargs="*", metavar="FILE")
    s.set_defaults(func=cmd_gui)
    return p


START_GC_THRESHOLD = 50_000
"""The cyclic garbage collector's first threshold for a command (CPython's is 700).
Importing SQLAlchemy and cryptography makes hundreds of thousands of objects that live to
the end, and at 700 the collector went through them again and again: a 4 KiB age open
took 576 ms with this, 730 ms without (median of 21 alternating runs, 2026-12-02). A
command's own garbage is bounded by the threshold: 50,000 objects between collections
(a few MB). The window goes back to CPython's thresholds before it starts
(gui/collector.py collects by them, on the GUI thread)."""
_DEFAULT_GC_THRESHOLDS = gc.get_threshold()


def run() -> NoReturn:
    """The program's entry point (`vaultapp`, `python -m vaultapp`): main(), then out.

    A command that did not start the window leaves without tearing the interpreter down:
    by then every output is durable under its name and the keybox is closed, and the
    teardown (freeing SQLAlchemy's and cryptography's objects one by one) took 90–140 ms
    of every command, measured with strace on the reference VM. The window exits the
    usual way, so that Qt saves and closes what it holds."""
    gc.set_threshold(START_GC_THRESHOLD, *_DEFAULT_GC_THRESHOLDS[1:])
    code = main()
    if "PySide6.QtWidgets" in sys.modules:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # the usual way reports what could not be written
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    # Before anything is parsed or read: no core file and no same-user memory reader can
    # get a passphrase typed later, and no child inherits VAULTAPP_PASSPHRASE.
    from vaultapp.core.hygiene import disable_core_dumps
    from vaultapp.core.secrets_env import scrub_env_passphrase

    disable_core_dumps()
    scrub_env_passphrase()
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(f"vaultapp {__version__}")  # without building every subcommand's parser
        return EXIT_OK
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (2)
        return int(exc.code or 0)
    func = getattr(args, "func", cmd_gui)
    try:
        code: int = func(args)
        return code
    except KeyboardInterrupt:
        _err("interrupted; nothing was left half-written")
        return 130
    except Exception as exc:
        return _report(exc)


def _report(exc: Exception) -> int:
    from vaultapp.core.errors import VaultError

    if isinstance(exc, VaultError):
        from vaultapp.cli_hints import describe

        _err(f"error: {describe(exc)}")
        return exc.exit_code
    if isinstance(exc, OSError):
        _err(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return EXIT_ERROR
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DatabaseError

        if isinstance(exc, DatabaseError):
            _err(f"error: the keybox database failed ({type(exc.orig).__name__}); it may be "
                 "damaged: restore it from a backup with 'vaultapp keybox restore FROM'")
            return EXIT_ERROR
    raise exc


if __name__ == "__main__":
    sys.exit(main())
