"""Worker processes for a batch, in two kinds behind one interface (:class:`Workers`).

- :class:`ForkedWorkers`: children made with ``os.fork``, each fed through a pipe of its own and
  answering through another. A child inherits everything already loaded (the guide, the
  template, every cache), so it starts in about a millisecond; this process does all its
  talking to them between its own rows, with nothing running in the background. Used where
  ``fork`` is safe: POSIX but not macOS, and only while this process has no other threads
  (a thread holding a lock at the fork would leave that lock held forever in the child).
- :class:`PoolWorkers`: ``concurrent.futures.ProcessPoolExecutor`` with any start method
  (``spawn`` on macOS and Windows pickles what the workers need).

Either way, a chunk handed to a worker comes back as its result or, if the worker died (killed,
out of memory) or raised, as a message saying so; every chunk handed out is answered once.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

K = TypeVar("K")
"""What the caller keeps for a chunk it handed out (its rows), given back with the answer."""

WORKER_FAILED = "a worker process failed"
_HEADER = 8  # bytes of a message's length, little-endian, before the pickled message
_READ = 1 << 20
PIPE_SIZE = 1 << 20


class Workers(Protocol[K]):
    """Worker processes that run ``handle(payload)`` for each chunk handed to them (``handle``
    returns anything but a str, which stands for a failure)."""

    count: int

    @property
    def in_flight(self) -> int:
        """Chunks handed out and not yet answered by :meth:`finished`."""
        ...

    def submit(self, key: K, payload: Any) -> bool:
        """Hand a chunk to the least busy worker; False if no worker is left to take it."""
        ...

    def finished(self, *, block: bool) -> list[tuple[K, Any]]:
        """The chunks answered since the last call: ``(key, result)``, or ``(key, message)``
        with a str saying why a worker failed to render it. With ``block``, waits for at
        least one answer (when any chunk is in flight)."""
        ...

    def close(self, *, wait: bool) -> list[K]:
        """Let the workers go. Chunks still in flight (only after an error, or a second Ctrl-C,
        in this process) are abandoned: forked workers are killed at once and their chunks
        returned, for the caller to remove what was written for them; a pool's workers finish
        theirs, waited for if ``wait``."""
        ...


def fork_is_safe(start_method: str | None) -> bool:
    """Whether :class:`ForkedWorkers` may be used for ``start_method`` (None: the default)."""
    import sys
    import threading

    if not hasattr(os, "fork") or start_method not in (None, "fork"):
        return False
    if start_method == "fork":  # asked for by name: as multiprocessing's "fork" would
        return True
    return sys.platform != "darwin" and threading.active_count() == 1


class _Child(Generic[K]):
    """One forked worker: its pid, the ends of its two pipes this process holds, the bytes
    waiting to go to it or come from it, and its chunks in the order it answers them."""

    def __init__(self, pid: int, tasks: int, answers: int) -> None:
        self.pid = pid
        self.tasks = tasks  # write end, non-blocking
        self.answers = answers  # read end, non-blocking
        self.outgoing: deque[memoryview] = deque()
        self.incoming = bytearray()
        self.held: deque[K] = deque()
        """Chunks handed to it and not yet answered, in the order it answers them."""
        self.alive = True

    def pump(self) -> None:
        """Write what the pipe takes now, without waiting."""
        while self.outgoing and self.alive:
            data = self.outgoing[0]
            try:
                written = os.write(self.tasks, data)
            except BlockingIOError:
                return
            except OSError:  # BrokenPipeError: it died; reading its pipe says so
                self.outgoing.clear()
                return
            if written == len(data):
                self.outgoing.popleft()
            else:
                self.outgoing[0] = data[written:]

    def read(self, answered: list[tuple[K, Any]]) -> None:
        """Read what has arrived and add the whole answers to ``answered``; at the end of the
        pipe (the child exited or was killed), every chunk it still held fails."""
        ended = False
        while True:
            try:
                data = os.read(self.answers, _READ)
            except BlockingIOError:
                break
            if not data:
                ended = True  # but first the answers it wrote before it ended
                break
            self.incoming += data
        buffer = self.incoming
        start = 0
        while len(buffer) - start >= _HEADER:
            size = int.from_bytes(buffer[start : start + _HEADER], "little")
            end = start + _HEADER + size
            if len(buffer) < end:
                break
            ok, result = pickle.loads(buffer[start + _HEADER : end])
            answered.append((self.held.popleft(), result if ok else f"{WORKER_FAILED}: {result}"))
            start = end
        del buffer[:start]
        if ended:
            self._died(answered)

    def _died(self, answered: list[tuple[K, Any]]) -> None:
        self.alive = False
        self.outgoing.clear()
        answered.extend((key, WORKER_FAILED) for key in self.held)
        self.held.clear()
        self.close()
        self.reap()

    def close(self) -> None:
        for fd in (self.tasks, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.tasks = self.answers = -1

    def reap(self) -> None:
        """Wait for the child to exit (it has, or will as soon as it sees its pipe closed)."""
        if self.pid:
            with contextlib.suppress(ChildProcessError):  # SIGCHLD ignored: reaped already
                os.waitpid(self.pid, 0)
            self.pid = 0


class ForkedWorkers(Generic[K]):
    """``count`` children made with ``os.fork`` (see the module's docstring)."""

    def __init__(self, count: int, handle: Callable[[Any], Any]) -> None:
        self.count = count
        self.children: list[_Child[K]] = []
        try:
            for _ in range(count):
                self.children.append(self._start(handle))
        except OSError:  # no more processes or memory: fewer workers (none: the caller renders)
            pass
        except BaseException:
            self.close()
            raise

    def _start(self, handle: Callable[[Any], Any]) -> _Child[K]:
        tasks_in, tasks_out = os.pipe()
        answers_in, answers_out = os.pipe()
        _widen(tasks_out)
        _widen(answers_out)
        try:
            pid = os.fork()
        except OSError:
            for fd in (tasks_in, tasks_out, answers_in, answers_out):
                os.close(fd)
            raise
        if pid == 0:  # the child: it never returns from here
            code = 1
            try:
                for child in self.children:  # else a sibling would keep a pipe open
                    child.close()
                os.close(tasks_out)
                os.close(answers_in)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # this process handles Ctrl-C
                _serve(tasks_in, answers_out, handle)
                code = 0
            finally:
                os._exit(code)  # no cleanup of the parent's: its files, atexit, test fixtures
        os.close(tasks_in)
        os.close(answers_out)
        os.set_blocking(tasks_out, False)
        os.set_blocking(answers_in, False)
        return _Child(pid, tasks_out, answers_in)

    @property
    def in_flight(self) -> int:
        return sum(len(child.held) for child in self.children)

    def submit(self, key: K, payload: Any) -> bool:
        alive = [child for child in self.children if child.alive]
        if not alive:
            return False
        child = min(alive, key=lambda c: len(c.held))
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        child.outgoing.append(memoryview(len(data).to_bytes(_HEADER, "little") + data))
        child.held.append(key)
        child.pump()
        return True

    def finished(self, *, block: bool) -> list[tuple[K, Any]]:
        answered: list[tuple[K, Any]] = []
        while True:
            for child in self.children:
                if child.alive:
                    child.pump()
                    child.read(answered)
            if answered or not block or not self.in_flight:
                return answered
            _wait(
                [c.answers for c in self.children if c.alive],
                [c.tasks for c in self.children if c.alive and c.outgoing],
            )

    def close(self, *, wait: bool = True) -> list[K]:
        """See :meth:`Workers.close`; a forked worker with a chunk is killed (``wait`` or not)."""
        abandoned: list[K] = []
        for child in self.children:
            if child.held and child.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)  # mid-chunk: stop it writing at once
                abandoned.extend(child.held)
                child.held.clear()
            child.close()  # a child waiting for its next chunk sees the end of it and exits
        for child in self.children:
            child.reap()
        return abandoned


def _wait(readers: list[int], writers: list[int]) -> None:
    """Until one of ``readers`` can be read or one of ``writers`` written. ``poll``, not
    ``select``: a process with over 1,024 files open (a library caller's) gets pipes whose
    numbers ``select`` refuses."""
    if not hasattr(select, "poll"):  # every system jobgen forks on has poll; just in case
        select.select(readers, writers, [])
        return
    poller = select.poll()
    for fd in readers:
        poller.register(fd, select.POLLIN)
    for fd in writers:
        poller.register(fd, select.POLLOUT)
    poller.poll()


def _widen(fd: int) -> None:
    """Let the pipe hold a whole chunk (Linux: 1 MiB, the most an unprivileged process may
    ask for, instead of 64 KiB), so a chunk goes over in one write instead of waiting for
    this process to come back between its own rows to write the rest."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    except (ImportError, AttributeError, OSError):  # not Linux, or a lower limit: as it is
        pass


def _serve(tasks: int, answers: int, handle: Callable[[Any], Any]) -> None:
    """A forked worker's life: read a chunk, answer it, until this process closes the pipe."""
    with os.fdopen(tasks, "rb") as reader:
        while True:
            header = reader.read(_HEADER)
            if len(header) < _HEADER:
                return  # no more chunks
            payload = pickle.loads(reader.read(int.from_bytes(header, "little")))
            try:
                answer: tuple[bool, Any] = (True, handle(payload))
            except Exception as exc:  # reported for the chunk; the worker goes on
                answer = (False, f"{type(exc).__name__}: {exc}")
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(len(data).to_bytes(_HEADER, "little") + data)
            while view:
                view = view[os.write(answers, view) :]


class PoolWorkers(Generic[K]):
    """``count`` workers of a ``ProcessPoolExecutor`` started by ``start_method``."""

    def __init__(
        self,
        count: int,
        handle: Callable[[Any], Any],
        start_method: str | None,
        initializer: Callable[..., None],
        initargs: Sequence[Any],
    ) -> None:
        import multiprocessing  # here: most batches never need it
        from concurrent.futures import ProcessPoolExecutor

        self.count = count
        self.handle = handle
        self.running: dict[Future[Any], K] = {}
        self.broken = False
        self.pool = ProcessPoolExecutor(
            max_workers=count,
            mp_context=multiprocessing.get_context(start_method),
            initializer=initializer,
            initargs=tuple(initargs),
        )

    @property
    def in_flight(self) -> int:
        return len(self.running)

    def submit(self, key: K, payload: Any) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        if self.broken:
            return False
        try:
            self.running[self.pool.submit(self.handle, payload)] = key
        except (BrokenProcessPool, OSError):  # broken before its futures said so; no process
            self.broken = True
            return False
        return True

    def finished(self, *, block: bool) -> list[tuple[K, Any]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        if block and self.running:
            done = wait(self.running, return_when=FIRST_COMPLETED).done
        else:
            done = {f for f in self.running if f.done()}
        answered: list[tuple[K, Any]] = []
        for future in [f for f in self.running if f in done]:  # in the order handed out
            key = self.running.pop(future)
            try:
                answered.append((key, future.result()))
            except BrokenProcessPool:
                self.broken = True
                answered.append((key, WORKER_FAILED))
            except Exception as exc:
                self.broken = True
                answered.append((key, f"{WORKER_FAILED}: {type(exc).__name__}: {exc}"))
        return answered

    def close(self, *, wait: bool) -> list[K]:
        self.pool.shutdown(wait=wait, cancel_futures=True)
        return []
