"""What a user can choose: the data behind ``jobgen options``."""

from __future__ import annotations

from typing import Any

from .employer import FIELDS
from .guide import load_guide
from .render import FORMATS


def describe(guide: str | None = None) -> dict[str, Any]:
    """Settings, education levels, formats and employer fields, JSON-ready."""
    g = load_guide(guide)

    def choices(items: Any) -> list[dict[str, Any]]:
        return [{"slug": c.slug, "name": c.name, "aliases": list(c.aliases)} for c in items]

    return {
        "guide": {"slug": g.slug, "occupation": g.occupation},
        "settings": choices(g.setting_choices()),
        "education": choices(g.education_choices()),
        "formats": [{"name": k, "description": d} for k, d in FORMATS.items()],
        "fields": [
            {
                "key": f.key,
                "type": f.kind,
                "env": f.env,
                "choices": list(f.choices),
                "help": f.help,
                "example": f.example,
            }
            for f in FIELDS
        ],
    }
