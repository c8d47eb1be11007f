"""Everything a user can choose, for ``jobgen options``: the guide's settings and education
levels, the output formats and the employer fields."""

from __future__ import annotations

from typing import Any

from .employer import FIELDS
from .guide import describe_guide, load_guide
from .render import FORMATS


def describe_choices(guide: str | None = None) -> dict[str, Any]:
    """Settings, education levels, formats and employer fields, JSON-ready."""
    info = describe_guide(load_guide(guide))
    return {
        "guide": {"slug": info["slug"], "occupation": info["occupation"]},
        "settings": info["settings"],
        "education": info["education"],
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
