"""schema.org ``JobPosting`` JSON-LD, with the properties Google for Jobs requires and recommends.

Required: ``title``, ``description``, ``datePosted``, ``hiringOrganization``, ``jobLocation`` (or,
for a remote posting, ``jobLocationType`` and ``applicantLocationRequirements``). A required
property that the employer's options cannot fill raises :class:`ValidationError` naming the
employer field to set. The ``description`` is HTML made from the same Markdown as every other
format, restricted to the tags Google accepts there: ``<p>``, ``<ul>``, ``<li>`` and ``<br>``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..compose import Posting
from ..errors import ValidationError
from ._commonmark import parser

if TYPE_CHECKING:
    from markdown_it.token import Token

EMPLOYMENT_TYPES = {
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "per-diem": "PER_DIEM",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
"""jobgen's ``employment_type`` → Google's ``employmentType``."""

DESCRIPTION_TAGS = ("p", "ul", "li", "br")
"""The only tags :func:`description_html` writes."""


class MissingForGoogle(ValidationError):
    """A property Google requires in a JobPosting has no value: no JSON-LD can be made (an
    HTML page is still made, without it)."""


def _missing(field: str, message: str, hint: str) -> MissingForGoogle:
    return MissingForGoogle(message, source=field, hint=hint)


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral() else float(amount)


def _inline_text(children: Sequence[Token]) -> str:
    """Inline tokens as escaped text: emphasis and links drop their markup, keep their words."""
    out: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            out.append(html.escape(token.content, quote=False))
        elif token.type == "softbreak":
            out.append(" ")
        elif token.type == "hardbreak":
            out.append("<br>")
        elif token.type == "image":
            out.append(_inline_text(token.children or ()))
    return "".join(out)


def description_html(markdown: str) -> str:
    """The posting's Markdown as HTML using only ``<p>``, ``<ul>``, ``<li>`` and ``<br>``.

    A leading level-1 heading (the title, which JSON-LD carries in ``title``) is left out; other
    headings become plain paragraphs, ordered lists become ``<ul>``, emphasis and link markup are
    dropped (their text stays), and every piece of text is HTML-escaped.
    """
    tokens = parser().parse(markdown)
    out: list[str] = []
    skip_title = bool(tokens) and tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if skip_title and i == 0:
            i += 3  # heading_open, inline, heading_close
            continue
        if kind in ("heading_open", "paragraph_open") and not token.hidden:
            out.append("<p>")
        elif kind in ("heading_close", "paragraph_close") and not token.hidden:
            out.append("</p>\n")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            out.append("<ul>\n")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.append("</ul>\n")
        elif kind == "list_item_open":
            out.append("<li>")
        elif kind == "list_item_close":
            out.append("</li>\n")
        elif kind == "inline":
            out.append(_inline_text(token.children or ()))
        elif kind in ("fence", "code_block"):
            lines = token.content.rstrip("\n").split("\n")
            out.append("<p>" + "<br>".join(html.escape(x, quote=False) for x in lines) + "</p>\n")
        i += 1
    return "".join(out).strip()


def _address(posting: Posting) -> dict[str, Any]:
    loc = posting.options.location
    address: dict[str, Any] = {"@type": "PostalAddress"}
    for key, value in (
        ("addressLocality", loc.city),
        ("addressRegion", loc.region),
        ("postalCode", loc.postal_code),
        ("addressCountry", loc.country),
    ):
        if value:
            address[key] = value
    return address


def _location(posting: Posting) -> dict[str, Any]:
    """``jobLocation`` for an on-site or hybrid posting, or the remote properties."""
    loc = posting.options.location
    if posting.options.workplace == "remote":
        if not loc.country:
            raise _missing(
                "location.country",
                "not set; the JSON-LD of a remote posting must say in which country applicants "
                "may live (Google's applicantLocationRequirements)",
                "set location.country (for example US), and location.region as well to limit "
                "it to one state or province: --set location.country=US",
            )
        area: dict[str, Any] = {"@type": "Country", "name": loc.country}
        if loc.region:
            area = {"@type": "State", "name": loc.region, "containedInPlace": area}
        return {"jobLocationType": "TELECOMMUTE", "applicantLocationRequirements": area}
    missing = [
        name
        for name, ok in (
            ("location.city (or location.region)", bool(loc.city or loc.region)),
            ("location.country", bool(loc.country)),
        )
        if not ok
    ]
    if missing:
        kind = "a hybrid" if posting.options.workplace == "hybrid" else "an on-site"
        raise _missing(
            "location",
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set; Google "
            f"requires the work address, with its country, in the JSON-LD of {kind} posting "
            "(jobLocation.address.addressCountry)",
            "set location.city, location.region, location.postal_code and location.country in "
            "the employer file (location: {city: Denver, region: CO, country: US}), or with "
            "--set location.country=US; for a fully remote job set workplace: remote",
        )
    return {"jobLocation": {"@type": "Place", "address": _address(posting)}}


def _checked_url(value: str, field: str) -> str:
    # validated when the options were read; checked again for Postings built by other code
    if not value.strip().lower().startswith(("http://", "https://")):
        raise ValidationError(
            f"{value!r} is refused: only http:// and https:// links are allowed", source=field
        )
    return value


def posting_jsonld(posting: Posting, markdown: str | None = None) -> dict[str, Any]:
    """The schema.org ``JobPosting`` for ``posting`` as a JSON-ready dict (in schema.org order).

    ``markdown`` is the posting rendered by the template (for ``description``); by default the
    built-in template renders it.
    """
    if markdown is None:
        from .markdown import render_markdown

        markdown = render_markdown(posting)
    options = posting.options
    if posting.is_placeholder or not posting.employer_name.strip():
        raise _missing(
            "employer.name",
            "not set; the JSON-LD needs the employer's real name "
            "(Google's hiringOrganization.name), not the placeholder",
            "set it in the employer file (employer: {name: ...}) or with "
            "--set employer.name='Riverside Behavioral Health'",
        )
    organization: dict[str, Any] = {"@type": "Organization", "name": posting.employer_name}
    if posting.employer_website:
        organization["sameAs"] = _checked_url(posting.employer_website, "employer.website")

    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": description_html(markdown),
    }
    if options.requisition_id:
        data["identifier"] = {
            "@type": "PropertyValue",
            "name": posting.employer_name,
            "value": options.requisition_id,
        }
    data["datePosted"] = options.date_posted.isoformat()
    if options.valid_through:
        data["validThrough"] = options.valid_through.isoformat()
    data["employmentType"] = EMPLOYMENT_TYPES[options.employment_type]
    data["hiringOrganization"] = organization
    data.update(_location(posting))
    salary = options.salary
    if salary.is_set:
        value: dict[str, Any] = {"@type": "QuantitativeValue"}
        if salary.min is not None:
            value["minValue"] = _number(salary.min)
        if salary.max is not None:
            value["maxValue"] = _number(salary.max)
        value["unitText"] = salary.period.upper()
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": salary.currency,
            "value": value,
        }
    if posting.credential:
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": posting.credential,
        }
    if options.experience_months is not None:
        data["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": options.experience_months,
        }
    if posting.apply_url:
        _checked_url(posting.apply_url, "apply.url")
        data["directApply"] = True
    return data


def dumps(data: dict[str, Any]) -> str:
    """JSON text: 2-space indent, keys in the order given, non-ASCII kept as written."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def render_jsonld(posting: Posting, markdown: str | None = None) -> bytes:
    """The ``.jsonld`` file: :func:`posting_jsonld` as UTF-8 JSON with a final newline."""
    return (dumps(posting_jsonld(posting, markdown)) + "\n").encode("utf-8")
