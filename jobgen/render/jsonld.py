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
from typing import Any

from ..compose import Posting
from ..errors import ValidationError
from .tokens import Block, Code, Heading, Inline, ListBlock, Paragraph, Quote, parse, plain_text

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


def _inline_text(inlines: Sequence[Inline]) -> str:
    """Inlines as escaped text: emphasis and links drop their markup, keep their words."""
    return html.escape(plain_text(inlines, hard="\0"), quote=False).replace("\0", "<br>")


def _description_blocks(blocks: Sequence[Block], out: list[str], *, tight: bool = False) -> None:
    for block in blocks:
        match block:
            case Paragraph(inlines) if tight:
                out.append(_inline_text(inlines))
            case Heading(_, inlines) | Paragraph(inlines):
                out.append(f"<p>{_inline_text(inlines)}</p>\n")
            case ListBlock(tight=list_tight, items=items):
                out.append("<ul>\n")
                for item in items:
                    out.append("<li>")
                    _description_blocks(item.blocks, out, tight=list_tight)
                    out.append("</li>\n")
                out.append("</ul>\n")
            case Quote(inner):
                _description_blocks(inner, out)
            case Code(text):
                lines = text.split("\n")
                out.append(
                    "<p>" + "<br>".join(html.escape(x, quote=False) for x in lines) + "</p>\n"
                )


def description_html(markdown: str) -> str:
    """The posting's Markdown as HTML using only ``<p>``, ``<ul>``, ``<li>`` and ``<br>``.

    A leading level-1 heading (the title, which JSON-LD carries in ``title``) is left out; other
    headings become plain paragraphs, ordered lists become ``<ul>``, emphasis and link markup are
    dropped (their text stays), and every piece of text is HTML-escaped.
    """
    blocks = parse(markdown)
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        blocks = blocks[1:]
    out: list[str] = []
    _description_blocks(blocks, out)
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
