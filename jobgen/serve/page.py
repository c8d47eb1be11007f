"""The studio page: a form built from the field table of ``jobgen options --json`` (label,
help, allowed values), beside the posting's preview, its lint findings and the downloads.
Everything it loads comes from this server (/static/studio.js and studio.css)."""

from __future__ import annotations

from html import escape
from typing import Any

from ..starter import QUESTIONS
from .api import Guides, ServedGuide

_QUESTION_LABELS = dict(QUESTIONS)
_GROUP_LEGENDS = {
    "employer": "Employer",
    "location": "Location",
    "salary": "Pay",
    "apply": "How to apply",
}
_KIND_INPUT = {"url": "url", "email": "email"}
_KIND_MODE = {"money": "decimal", "int": "numeric"}


def field_label(key: str) -> str:
    """A control's label: ``jobgen init``'s question where it asks one, else the key in words
    (``salary.currency`` → "Currency" inside the Pay group)."""
    if key in _QUESTION_LABELS:
        return _QUESTION_LABELS[key].split(" (")[0]
    words = key.rpartition(".")[2].replace("_", " ")
    return words[:1].upper() + words[1:]


def _id(key: str) -> str:
    return "f-" + key.replace(".", "-").replace("_", "-")


def _control(field: dict[str, Any], choices: list[tuple[str, str]] | None) -> str:
    key = field["key"]
    ident = _id(key)
    label = escape(field_label(key))
    help_text = escape(field["help"])
    described = f"{ident}-help {ident}-error"
    common = (
        f'id="{ident}" name="{escape(key)}" data-field="{escape(key)}" '
        f'data-kind="{escape(field["type"])}" aria-describedby="{described}"'
    )
    if choices is not None and field["type"] in ("setting", "education"):
        # the table's help speaks of slugs and prefixes typed on a command line
        help_text = escape(
            "Where the work happens: tailors the duties, environment and schedule."
            if field["type"] == "setting"
            else "The education this role requires: tailors the summary and qualifications."
        )
    if choices is not None:
        options = "".join(
            f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in choices
        )
        control = f"<select {common}>{options}</select>"
    elif field["type"] in ("longtext", "list"):
        rows = 4 if field["type"] == "longtext" else 3
        control = f'<textarea {common} rows="{rows}"></textarea>'
    else:
        kind = _KIND_INPUT.get(field["type"], "text")
        mode = _KIND_MODE.get(field["type"])
        extra = f' inputmode="{mode}"' if mode else ""
        if field["type"] == "date":
            extra += ' placeholder="YYYY-MM-DD"'
        control = f'<input type="{kind}" {common}{extra} autocomplete="off">'
    if field["type"] == "list":
        help_text += " One entry per line."
    return (
        f'<div class="field" id="{ident}-row">'
        f'<label for="{ident}">{label}</label>'
        f"{control}"
        f'<p class="help" id="{ident}-help">{help_text}</p>'
        f'<p class="error" id="{ident}-error" data-error-for="{escape(key)}"></p>'
        "</div>"
    )


def _form(served: ServedGuide) -> str:
    options = served.options
    settings = [(c["slug"], c["name"]) for c in options["settings"]]
    levels = [(c["slug"], c["name"]) for c in options["education"]]
    parts: list[str] = []
    group = ""
    for field in options["fields"]:
        head, _, sub = field["key"].partition(".")
        this_group = head if sub else ""
        if this_group != group:
            if group:
                parts.append("</fieldset>")
            if this_group:
                legend = escape(_GROUP_LEGENDS.get(this_group, this_group.title()))
                parts.append(f"<fieldset><legend>{legend}</legend>")
            group = this_group
        choices: list[tuple[str, str]] | None = None
        if field["type"] == "setting":
            choices = settings
        elif field["type"] == "education":
            choices = levels
        elif field["choices"]:
            choices = [("", "(not set)")] + [(c, c) for c in field["choices"]]
        parts.append(_control(field, choices))
    if group:
        parts.append("</fieldset>")
    return "\n".join(parts)


def _guide_picker(guides: Guides, served: ServedGuide) -> str:
    entries = list(guides)
    if len(entries) < 2:
        return ""
    options = "".join(
        f'<option value="{escape(s.guide.slug)}"'
        f"{' selected' if s is served else ''}>{escape(s.guide.occupation)}</option>"
        for s in entries
    )
    return (
        '<form class="guide-picker" method="get" action="/">'
        '<label for="guide">Guide</label>'
        f'<select id="guide" name="guide">{options}</select>'
        '<button type="submit">Open guide</button>'
        "</form>"
    )


def studio_page(guides: Guides, served: ServedGuide) -> str:
    """The whole page, for ``served``'s guide."""
    occupation = escape(served.guide.occupation)
    slug = escape(served.guide.slug)
    downloads = "".join(
        f'<button type="button" data-download="{fmt}">{label}</button>'
        for fmt, label in (
            ("docx", "Word (DOCX)"),
            ("html", "HTML"),
            ("md", "Markdown"),
            ("jsonld", "JSON-LD"),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jobgen studio – {occupation}</title>
<link rel="stylesheet" href="/static/studio.css">
<script src="/static/studio.js" defer></script>
</head>
<body data-guide="{slug}">
<header>
<h1>jobgen studio <span class="occupation">{occupation}</span></h1>
{_guide_picker(guides, served)}
</header>
<main>
<section class="answers" aria-labelledby="answers-heading">
<h2 id="answers-heading">Answers</h2>
<div class="files">
<label for="open-file">Open employer file</label>
<input type="file" id="open-file" accept=".yaml,.yml,.json,application/json,application/yaml">
<button type="button" id="save-file">Save employer file</button>
</div>
<div id="form-errors" class="error" role="alert"></div>
<form id="answers" novalidate>
{_form(served)}
</form>
</section>
<section class="posting" aria-labelledby="preview-heading">
<h2 id="preview-heading">Posting</h2>
<div class="downloads" role="group" aria-label="Download the posting">{downloads}</div>
<p id="status" role="status" aria-live="polite"></p>
<iframe id="preview" title="Posting preview" sandbox=""></iframe>
</section>
<section class="checks" aria-labelledby="lint-heading">
<h2 id="lint-heading">Checks</h2>
<div id="lint-summary"></div>
<ul id="lint"></ul>
<h2 id="variants-heading">Variants</h2>
<p>Every setting × education level for these answers.</p>
<button type="button" id="show-variants">Show variants</button>
<div id="variants"></div>
</section>
</main>
</body>
</html>
"""
