"""Find packaged data: the installed wheel carries ``templates/`` inside the package
(``jobgen/templates``); a source checkout has it at the top level."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def templates_dir() -> Path:
    # the package's own folder, as importlib.resources.files("jobgen") would give for an installed
    # wheel, without importing importlib.resources on every start-up
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("jobgen's templates folder is missing from this installation")


@functools.cache
def schemas_dir() -> Path:
    """The JSON Schemas (``schemas/`` in a checkout, ``jobgen/schemas`` in a wheel)."""
    packaged = Path(__file__).resolve().parent / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


def template_path(name: str) -> Path:
    return templates_dir() / name
