"""Writing files safely: atomic replace, no silent overwrite, no partial files, safe names."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
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


def write_atomic(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary sibling and ``os.replace``.

    Refuses an existing file unless ``force``; on any failure (disk full, interrupt) the
    temporary file is removed and the target is left as it was.
    """
    target = Path(path)
    folder = check_target(target, force=force)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        if not force:
            # link() fails if the target appeared meanwhile: never clobber a file without --force
            try:
                os.link(tmp_name, target)
            except FileExistsError:
                raise OutputError(
                    "already exists; jobgen does not overwrite files",
                    source=str(target),
                    hint="add --force to replace it",
                ) from None
            except OSError:
                os.replace(tmp_name, target)  # file systems without hard links
        else:
            os.replace(tmp_name, target)
    except OutputError:
        raise
    except PermissionError:
        raise OutputError(
            f"cannot write here: permission denied in {str(folder)!r}", source=str(target)
        ) from None
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(f"could not write the file: {reason}", source=str(target)) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
    return target


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
