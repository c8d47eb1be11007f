"""Writing files safely: atomic replace, no silent overwrite, no partial files, safe names."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ._validate import slugify
from .errors import OutputError


def check_target(path: str | Path, *, force: bool = False) -> Path:
    """Check that :func:`write_atomic` may write ``path``, before any work; return its folder."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    try:
        _check_target(target, folder, force=force)
    except OSError as exc:  # a name too long, a loop of links: say so with the path
        raise OutputError(f"cannot write here: {exc.strerror or exc}", source=str(target)) from None
    return folder


def _check_target(target: Path, folder: Path, *, force: bool) -> None:
    if target.is_dir():
        raise OutputError("is a folder; give a file name", source=str(target))
    if not folder.is_dir():
        raise OutputError(
            f"the folder {str(folder)!r} does not exist",
            source=str(target),
            hint="create it first, or choose another path with -o",
        )
    if not target.exists():
        return
    if not target.is_file():
        # replacing /dev/null or a named pipe with a regular file would break the system
        raise OutputError(
            "is not a regular file (a device, pipe or socket); jobgen writes only regular files",
            source=str(target),
            hint="to send the output somewhere special, write to stdout: -o - > TARGET",
        )
    if not force:
        raise OutputError(
            "already exists; jobgen does not overwrite files",
            source=str(target),
            hint="add --force to replace it, or choose another path with -o",
        )


def write_atomic(path: str | Path, data: bytes, *, force: bool = False, sync: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary sibling and ``os.replace``.

    Refuses an existing file unless ``force``; on any failure (disk full, interrupt) the
    temporary file is removed and the target is left as it was. ``sync=False`` leaves flushing
    the data to disk to the caller (``jobgen batch`` syncs many files at once).
    """
    target = Path(path)
    check_target(target, force=force)
    write_new(str(target), data, force=force, sync=sync)
    return target


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_TEMP_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_temp_counter = itertools.count()
_os_write = os.write  # one name for the tests to make a disk full


def fsync_error(exc: OSError, path: str | Path) -> OutputError:
    """The error for a failed write or flush of ``path``, as :func:`write_new` words it."""
    reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return OutputError(f"could not write the file: {reason}", source=str(path))


def _temp_sibling(folder: str, name: str) -> tuple[int, str]:
    """Create a new hidden file beside ``name``; return its descriptor and path."""
    while True:
        candidate = os.path.join(  # noqa: PTH118 - plain strings: a batch writes thousands
            folder, f".{name[:64]}.{os.getpid()}-{next(_temp_counter)}.tmp"
        )
        try:
            # 0o666 less the umask, as for any new file (0o644 with the usual umask 022)
            return os.open(candidate, _TEMP_FLAGS, 0o666), candidate
        except FileExistsError:  # left by another process: take the next name
            continue


def write_new(
    path: str, data: bytes | Iterable[bytes], *, force: bool = False, sync: bool = True
) -> None:
    """The core of :func:`write_atomic`, without its checks of the folder and the target (a
    batch checks its folder once): a temporary sibling, then a hard link (or, with ``force``,
    a rename) onto ``path``, so the file appears whole or not at all. ``data`` may come in
    pieces (a manifest streamed from its spool)."""
    folder, name = os.path.split(path)
    tmp_name: str | None = None
    try:
        fd, tmp = _temp_sibling(folder, name)
        tmp_name = tmp
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                written = _os_write(fd, piece)  # one call writes it all, on a regular file
                if written < len(piece):
                    view = memoryview(piece)[written:]
                    while view:
                        view = view[_os_write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        if not force:
            # link() fails if the target appeared meanwhile: never clobber a file without --force
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputError(
                    "already exists; jobgen does not overwrite files",
                    source=path,
                    hint="add --force to replace it",
                ) from None
            except OSError:
                os.replace(tmp, path)  # file systems without hard links
        else:
            os.replace(tmp, path)
    except OutputError:
        raise
    except PermissionError:
        raise OutputError(
            f"cannot write here: permission denied in {folder or '.'!r}", source=path
        ) from None
    except OSError as exc:
        raise fsync_error(exc, path) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)


# --------------------------------------------------------------------------- safe file names

MAX_NAME = 80
"""Longest file name stem jobgen makes, in characters (before the extension)."""

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
"""Stems Windows refuses as file names whatever the extension (``con.md`` is the console)."""

_SAFE_STEM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def safe_stem(text: str, *, fallback: str = "posting", limit: int = MAX_NAME) -> str:
    """A file name stem that is safe on Windows, macOS and Linux.

    Lowercase ASCII letters, digits and single hyphens only (so no ``/``, ``\\``, ``..``, dots,
    spaces or case clashes), at most ``limit`` characters (cut at a word where possible), never
    empty (``fallback``) and never a Windows reserved device name (``con`` becomes
    ``con-posting``).
    """
    stem = slugify(text)
    if len(stem) > limit:
        cut = stem[: limit + 1]  # end at a word when one ends in the second half
        stem = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else stem[:limit]
    stem = stem.strip("-") or fallback
    if stem in WINDOWS_RESERVED:
        stem = f"{stem}-{fallback}"
    return stem


def unique_stems(stems: Iterable[str], *, taken: Iterable[str] = ()) -> Iterator[str]:
    """Make each stem unique, in order: repeats get ``-2``, ``-3``... (deterministic).

    ``taken`` are stems already in use (for example ``manifest``).
    """
    used = set(taken)
    for stem in stems:
        name = stem
        n = 2
        while name in used:
            suffix = f"-{n}"
            name = stem[: MAX_NAME - len(suffix)].rstrip("-") + suffix
            n += 1
        used.add(name)
        yield name


def is_safe_stem(stem: str) -> bool:
    return bool(_SAFE_STEM.fullmatch(stem)) and len(stem) <= MAX_NAME
