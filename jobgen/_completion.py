"""Shell completion of option values (part of the command line: it imports click).

The choices are known: the guide's settings and education levels (of ``--guide`` when given),
the output formats, and the employer fields and their choices for ``--set``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .errors import JobgenError


def _formats() -> list[str]:
    from .render import FORMATS

    return list(FORMATS)


def _guide_of(ctx: click.Context) -> Any:
    from .guide import load_guide

    return load_guide(ctx.params.get("guide"))


def complete_choice(kind: str) -> Callable[..., list[Any]]:
    """Shell completion of a setting or education level: the guide's slugs and aliases."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        try:
            guide = _guide_of(ctx)
        except JobgenError:
            return []
        choices = guide.setting_choices() if kind == "setting" else guide.education_choices()
        words = [(c.slug, c.name) for c in choices]
        words += [(alias, c.name) for c in choices for alias in c.aliases]
        low = incomplete.lower()
        return [CompletionItem(w, help=h) for w, h in words if w.lower().startswith(low)]

    return complete


def complete_formats(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Formats; after a comma (``-f md,do``) the next one of a list."""
    from click.shell_completion import CompletionItem

    done, comma, last = incomplete.rpartition(",")
    head = done + comma
    return [CompletionItem(head + f) for f in _formats() if f.startswith(last)]


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """``--set`` keys (``salary.m`` → ``salary.min=``), then a choice field's values."""
    from click.shell_completion import CompletionItem

    from .employer import FIELD_BY_KEY, FIELDS

    key, eq, value = incomplete.partition("=")
    if not eq:
        return [CompletionItem(f.key + "=", help=f.help) for f in FIELDS if f.key.startswith(key)]
    spec = FIELD_BY_KEY.get(key)
    if spec is None:
        return []
    if spec.kind in ("setting", "education"):
        words = [i.value for i in complete_choice(spec.kind)(ctx, param, value)]
    else:
        words = [c for c in spec.choices if c.startswith(value)]
    return [CompletionItem(f"{key}={w}") for w in words]
