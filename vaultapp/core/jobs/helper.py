"""A helper process that seals part of a long run of small files: both cores at work.

Each small file costs the thread that seals it about 0.4 ms of Python and kernel work,
and cryptography's AES-GCM holds the GIL at these sizes, so a second thread would not
help: a run of thousands of small files was bound by one core. A run with at least
HELPER_MIN_FILES small files to seal, on a machine with two cores or more, starts one
helper: this program again (`vaultapp --seal-helper`), started fresh rather than forked,
so that the window's threads are no concern; it imports only what sealing needs.

It is handed, on its standard input, the profile key the run seals under, then, each time
it asks, the next CHUNK files to seal, with the output names the run has already decided
(the run's `Resolver` stays the one place that gives out names). It seals them exactly as
the run's own thread does, into a CommitQueue of its own, so every output is durable
before it has its name, and reports each file on its standard output once its group is
in place. The run's thread takes files from the same place (`Cursor`), so whichever is
faster does more; the run reports every file, in the plan's order, on its own thread.

The helper never opens the keybox and holds no key but the one it was handed. It ends
when it is handed no more files; when the run stops (a cancel, or a lock in the window)
it is asked to stop and does so at its next file, as the run's thread does: the files it
finished are still put in place and reported, those it had not started are not done.
It also stops at its next file when its standard input ends, and, on Linux, is killed
with its parent at once (hygiene.die_with_parent): a killed run leaves only complete,
durable outputs under final names, as without a helper. A helper that cannot start
leaves the run to do every file itself; one that stops part-way fails the files it had
not reported, and only those. POSIX only (it asks select() whether a stop came).

The messages are JSON lines: no pickle, nothing in them is ever executed.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from vaultapp import SEAL_HELPER_FLAG
from vaultapp.core import errors, fileops, helpers
from vaultapp.core.atomic import CommitQueue
from vaultapp.core.envelope import Recipient
from vaultapp.core.errors import Hint, VaultError
from vaultapp.core.stream import Cancel, Progress

from .conflicts import Resolution, Resolver
from .plan import SEAL, PlanItem
from .results import DONE, FAILED, FileOutcome

FLAG = SEAL_HELPER_FLAG
"""The program's only argument when it is a helper (vaultapp/__main__.py)."""

HELPER_MIN_FILES = 1_000
"""Fewer small files to seal than this and no helper starts: starting one costs about
0.2 s of the second core, which the run's own thread spends sealing about 400 files."""

CHUNK = 64
"""Files handed to the helper at a time: about 30 ms of its work, so the run's thread and
the helper finish within a chunk of each other, and asking costs one message per chunk."""

STOPPED = ("the helper process that sealed this file stopped before it reported it; "
           "an output under its name, if there is one, is complete")


class SealCall(NamedTuple):
    """The arguments of fileops.seal_file for one planned file, as the run decided them."""

    output: str | None
    target: str | None
    force: bool


def seal_call(item: PlanItem, where: Resolution, planned_output: Path | None) -> SealCall:
    """Where `item`'s output goes: the planned output (so -o keeps its meaning) or the
    free name it was given; a name found free is not looked up again (seal_file's
    `target`), a taken one is, so that it fails as "already exists"."""
    assert where.target is not None
    output = where.target if where.renamed else (
        None if planned_output is None else os.fspath(planned_output))
    free = not item.exists or where.renamed
    return SealCall(output, where.target if free else None, where.force)


def seal_with(call: SealCall, source: str, recipient: Recipient, commits: CommitQueue | None,
              progress: Progress | None = None, cancel: Cancel | None = None
              ) -> fileops.FileResult:
    """fileops.seal_file with `call`'s arguments: the run's thread and the helper both."""
    return fileops.seal_file(Path(source), [recipient],
                             output=None if call.output is None else Path(call.output),
                             force=call.force,
                             target=None if call.target is None else Path(call.target),
                             progress=progress, cancel=cancel, commits=commits)


# --- the run's side --------------------------------------------------------------------


class Cursor:
    """The plan's files, handed out in order to the run's thread (`next_own`) and to the
    helper (`chunk`), each resolved (`Resolver`) as it is handed out, under one lock, so
    names are given out in the plan's order whoever seals the file. The helper is given
    only files it can seal; any other file it passes is set aside for the run's thread."""

    def __init__(self, items: Sequence[PlanItem], names: Resolver,
                 planned_output: Path | None) -> None:
        self._items, self._names, self._output = items, names, planned_output
        self._next = 0
        self._aside: deque[tuple[int, Resolution | None]] = deque()
        self._closed = False
        self._lock = threading.Lock()

    def _resolve(self, i: int) -> Resolution | None:
        item = self._items[i]
        if item.error is not None or not item.target:
            return None
        return self._names.resolve(item.target, item.exists)

    def next_own(self) -> tuple[int, Resolution | None] | None:
        """The next file for the run's thread, with where its output goes (None: the
        file has no output); None when every file was handed out, or after close()."""
        with self._lock:
            if self._aside:
                return self._aside.popleft()
            if self._closed or self._next >= len(self._items):
                return None
            i, self._next = self._next, self._next + 1
            return i, self._resolve(i)

    def chunk(self, n: int) -> list[tuple[int, SealCall]]:
        """Up to `n` files to seal for the helper (none: it is done)."""
        got: list[tuple[int, SealCall]] = []
        with self._lock:
            while len(got) < n and not self._closed and self._next < len(self._items):
                i, self._next = self._next, self._next + 1
                item, where = self._items[i], self._resolve(i)
                if (item.mode == SEAL and where is not None and where.target is not None
                        and where.error is None):
                    got.append((i, seal_call(item, where, self._output)))
                else:
                    self._aside.append((i, where))
        return got

    def close(self) -> None:
        """Hand out nothing more (the run stops: cancelled, or the keybox locked)."""
        with self._lock:
            self._closed = True


def wanted(items: Sequence[PlanItem]) -> bool:
    """Whether a run of `items` (already known to use a CommitQueue) starts a helper."""
    if HELPER_MIN_FILES <= 0 or not helpers.spare_core():
        return False
    return sum(1 for i in items if i.mode == SEAL and i.error is None) >= HELPER_MIN_FILES


def command() -> list[str]:
    """How to start this program as a sealing helper."""
    return helpers.command(FLAG)


Arrival = tuple[int, FileOutcome] | None
"""A file the helper settled (its index in the plan), or None: the helper has ended."""


class Helper:
    """The run's side of one helper process: started with the key, fed from a Cursor by
    a thread of its own, its reports handed to the run's thread by `arrived`."""

    def __init__(self, proc: subprocess.Popen[bytes], cursor: Cursor,
                 items: Sequence[PlanItem]) -> None:
        self._proc, self._cursor, self._items = proc, cursor, items
        self._arrivals: queue.Queue[Arrival] = queue.Queue()
        self.ended = False
        """Every file it was given has arrived: nothing more will come."""
        self._given: set[int] = set()
        self._writing = threading.Lock()  # the feeding thread's chunks, halt()'s stop
        self.handed = 0
        """Files handed to it so far."""
        self._thread = threading.Thread(target=self._serve, name="vaultapp-helper",
                                        daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, recipient: Recipient, cursor: Cursor,
              items: Sequence[PlanItem]) -> Helper | None:
        """A running helper for `recipient`, or None if it could not be started (the run
        then seals every file itself)."""
        try:
            proc = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    close_fds=True)
        except OSError:
            return None
        assert proc.stdin is not None
        try:
            _send(proc.stdin, {"parent": os.getpid(), "profile_id": recipient.profile_id.hex(),
                               "key_id": recipient.key_id.hex(), "key": recipient.key.hex()})
        except OSError:
            proc.kill()
            proc.wait()
            return None
        return cls(proc, cursor, items)

    def _serve(self) -> None:
        """Answer each request for files with a chunk; queue each report; at the end
        (or when the helper stops early) fail whatever it was given and did not report."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        try:
            for line in self._proc.stdout:
                message = json.loads(line)
                if "want" in message:
                    chunk = self._cursor.chunk(CHUNK)
                    self._given.update(i for i, _ in chunk)
                    self.handed += len(chunk)
                    with self._writing:
                        _send(self._proc.stdin,
                              [[i, self._items[i].path, *call] for i, call in chunk])
                        if not chunk:
                            self._proc.stdin.close()
                self._given.difference_update(message.get("unstarted", ()))
                for report in message.get("settled", ()):
                    self._given.discard(report["i"])
                    self._arrivals.put((report["i"], self._outcome(report)))
        except (OSError, ValueError):
            pass  # it stopped: what it did not report fails below
        finally:
            for i in sorted(self._given):
                self._arrivals.put((i, FileOutcome(self._items[i].path, SEAL, FAILED,
                                                  error=VaultError(STOPPED))))
            self._given.clear()
            self._arrivals.put(None)

    def arrived(self, block: bool) -> Iterator[tuple[int, FileOutcome]]:
        """The files it settled since the last call (index in the plan, outcome); with
        `block`, every one until it has ended."""
        while not self.ended:
            try:
                arrival = self._arrivals.get(block=block)
            except queue.Empty:
                return
            if arrival is None:
                self.ended = True
                return
            yield arrival

    def _outcome(self, report: dict[str, Any]) -> FileOutcome:
        path = self._items[report["i"]].path
        if "error" in report:
            return FileOutcome(path, SEAL, FAILED, error=_error(report["error"]))
        return FileOutcome(path, SEAL, DONE, report["output"], size=report["size"],
                           key_id=bytes.fromhex(report["key_id"]))

    def halt(self) -> None:
        """Ask it to stop at its next file, as the run's thread does on a cancel or a lock
        (the Cursor is closed first, so it is handed nothing more): what it finished is
        still put in place and reported, what it had not started is not done."""
        with self._writing, contextlib.suppress(OSError, ValueError):  # it has ended
            assert self._proc.stdin is not None
            _send(self._proc.stdin, {"stop": True})

    def stop(self) -> None:
        """Kill it (the run is leaving by an exception): its unnamed outputs vanish."""
        self._proc.kill()
        self._proc.wait()
        self._thread.join()

    def end(self) -> None:
        """Wait for the process once it has ended (`arrived` gave everything)."""
        self._thread.join()
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            self._proc.stdin.close()
        self._proc.wait()


def _send(pipe: IO[bytes], message: object) -> None:
    pipe.write(json.dumps(message).encode() + b"\n")
    pipe.flush()


def _error_fields(exc: BaseException) -> dict[str, Any]:
    """A file's error as data: the nearest class of core/errors.py, its words and fields."""
    if not isinstance(exc, VaultError):
        return {"type": "VaultError", "message": str(exc)}
    kind = next((c.__name__ for c in type(exc).__mro__
                 if getattr(errors, c.__name__, None) is c), "VaultError")
    return {"type": kind, "message": exc.message, "hint": str(exc.hint),
            "path": None if exc.path is None else os.fspath(exc.path),
            "key_id": exc.key_id, "state": exc.state, "exit_code": exc.exit_code}


def _error(fields: dict[str, Any]) -> VaultError:
    """The error a helper reported, as the same core class with the same words and
    fields (made without its constructor, whose arguments differ from class to class)."""
    cls = getattr(errors, fields.get("type", ""), VaultError)
    if not (isinstance(cls, type) and issubclass(cls, VaultError)):
        cls = VaultError
    exc = cls.__new__(cls)
    Exception.__init__(exc, fields["message"])
    exc.message = fields["message"]
    exc.hint = Hint(fields.get("hint") or Hint.NONE)
    exc.path = None if fields.get("path") is None else Path(fields["path"])
    exc.key_id, exc.state = fields.get("key_id"), fields.get("state")
    if fields.get("exit_code", cls.exit_code) != cls.exit_code:
        exc.exit_code = fields["exit_code"]
    return exc


# --- the helper's side -----------------------------------------------------------------


def main() -> int:
    """The helper process: read the key, then seal chunk after chunk until none comes."""
    from vaultapp.core.hygiene import die_with_parent, disable_core_dumps

    from .inputs import COMMIT_THREADS

    disable_core_dumps()  # it holds a profile key
    # Ctrl-C in a terminal reaches the whole process group: the run decides (it stops the
    # helper or kills it), so the helper neither dies half-way nor prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    source, sink = _Lines(sys.stdin.fileno()), sys.stdout.buffer
    first = source.readline()
    if not first:
        return 1
    setup = json.loads(first)
    die_with_parent(setup["parent"])
    recipient = Recipient(bytes.fromhex(setup["profile_id"]), bytes.fromhex(setup["key_id"]),
                          bytes.fromhex(setup["key"]))
    waiting: deque[tuple[int, fileops.FileResult | BaseException]] = deque()

    def report(everything: bool) -> None:
        settled = []
        while waiting and (everything or _ready(waiting[0][1])):
            settled.append(_report(*waiting.popleft()))
        if settled:
            _send(sink, {"settled": settled})

    with CommitQueue(COMMIT_THREADS) as commits:
        stopped = False
        while not stopped:
            _send(sink, {"want": True})
            line = source.readline()
            chunk = json.loads(line) if line else []
            if not isinstance(chunk, list) or not chunk:  # no more, or a stop
                break
            for n, (i, path, output, target, force) in enumerate(chunk):
                if source.stop_asked():  # a stop, or the parent has gone
                    _send(sink, {"unstarted": [c[0] for c in chunk[n:]]})
                    stopped = True
                    break
                try:
                    entry: fileops.FileResult | BaseException = seal_with(
                        SealCall(output, target, force), path, recipient, commits)
                except (VaultError, OSError) as exc:
                    entry = exc
                waiting.append((i, entry))
            report(everything=False)
    report(everything=True)  # leaving the block put every output in place
    return 0


class _Lines:
    """The lines the run sends, read from the pipe's descriptor directly, so that whether
    one is waiting can be asked between files without blocking (`stop_asked`)."""

    def __init__(self, fd: int) -> None:
        self._fd, self._buffer, self._ended = fd, b"", False

    def _fill(self) -> None:
        data = os.read(self._fd, 1 << 16)
        self._buffer += data
        self._ended = not data

    def readline(self) -> bytes:
        """The next line (b"" once the pipe has ended), waiting for it."""
        while b"\n" not in self._buffer and not self._ended:
            self._fill()
        line, newline, self._buffer = self._buffer.partition(b"\n")
        return line + newline

    def stop_asked(self) -> bool:
        """Whether a message came while a chunk is being sealed (only a stop can come
        then) or the pipe ended (the parent has gone)."""
        if b"\n" not in self._buffer and not self._ended and select.select(
                [self._fd], [], [], 0)[0]:
            self._fill()
        return self._ended or b"\n" in self._buffer


def _ready(entry: fileops.FileResult | BaseException) -> bool:
    return not isinstance(entry, fileops.FileResult) or entry.pending is None \
        or entry.pending.done()


def _report(i: int, entry: fileops.FileResult | BaseException) -> dict[str, Any]:
    if isinstance(entry, fileops.FileResult):
        try:
            entry.wait()
        except (VaultError, OSError) as exc:
            entry = exc
        else:
            assert entry.key_id is not None
            return {"i": i, "output": os.fspath(entry.output or ""), "size": entry.size,
                    "key_id": entry.key_id.hex()}
    return {"i": i, "error": _error_fields(entry)}

