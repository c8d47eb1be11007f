"""The composed posting as JSON, for pipelines (``-f json``).

The shape is versioned by ``jobgen_posting`` and documented in the README ("Publishing: HTML and
JSON-LD"); a change that removes or renames a key raises the version.
"""

from __future__ import annotations

import json
from typing import Any

from ..compose import Entry, Posting

VERSION = 1


def _entries(entries: tuple[Entry, ...]) -> list[dict[str, str]]:
    return [{"name": e.name, "text": e.text} for e in entries]


def posting_data(posting: Posting) -> dict[str, Any]:
    """``posting`` as JSON-ready data: every section's text, plus the options it came from."""
    return {
        "jobgen_posting": VERSION,
        "guide": posting.guide_slug,
        "occupation": posting.occupation,
        "title": posting.title,
        "employer": {
            "name": posting.employer_name,
            "about": posting.employer_about,
            "website": posting.employer_website,
            "is_placeholder": posting.is_placeholder,
        },
        "setting": {
            "slug": posting.setting.slug,
            "name": posting.setting.name,
            "label": posting.setting_label,
        },
        "education": {
            "slug": posting.education.slug,
            "name": posting.education.name,
            "label": posting.education_label,
            "credential": posting.credential,
        },
        "header": list(posting.header),
        "sections": {
            "summary": list(posting.summary),
            "responsibilities": _entries(posting.responsibilities),
            "setting_duties": {
                "heading": posting.setting_duties_heading,
                "items": list(posting.setting_duties),
            },
            "qualifications": {
                "intro": posting.qualifications_intro,
                "required": list(posting.required),
                "preferred": list(posting.preferred),
                "note": posting.qualifications_note,
            },
            "skills": _entries(posting.skills),
            "environment": posting.environment,
            "schedule": list(posting.schedule),
            "pay": posting.pay,
            "benefits": list(posting.benefits),
            "growth": _entries(posting.growth),
            "apply": {"url": posting.apply_url, "email": posting.apply_email},
            "eeo_statement": posting.eeo_statement,
        },
        "options": posting.options.to_dict(),
    }


def render_json(posting: Posting) -> bytes:
    """:func:`posting_data` as UTF-8 JSON (2-space indent, non-ASCII as written, final newline)."""
    return (json.dumps(posting_data(posting), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
