"""Names that say what they hold: public lists hold public names; modules are named for their job."""

from __future__ import annotations

import importlib
import pkgutil

import jobgen


def test_no_private_name_is_exported():
    private = []
    for info in pkgutil.walk_packages(jobgen.__path__, "jobgen."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            if name.startswith("_") and not name.startswith("__"):
                private.append(f"{info.name}.{name}")
    assert private == []


def test_the_json_renderer_and_the_choices_are_named_for_what_they_hold():
    from jobgen.choices import describe_choices
    from jobgen.render.json import render_json

    assert callable(render_json)
    assert {"settings", "education", "formats", "fields"} <= set(describe_choices())
    assert importlib.util.find_spec("jobgen.options") is None
    assert importlib.util.find_spec("jobgen.render.data") is None
