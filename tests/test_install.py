"""A non-editable install into a fresh virtual environment finds its templates and guide data
and renders every setting × education variant (what a user gets from `pip install .`)."""

from __future__ import annotations

import json
import subprocess
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = textwrap.dedent(
    """
    import itertools, json, pathlib, jobgen
    from jobgen._resources import templates_dir
    guide = jobgen.load_guide()
    out = {"module": jobgen.__file__, "templates": str(templates_dir()), "variants": {}}
    for s, e in itertools.product(guide.setting_choices(), guide.education_choices()):
        md = jobgen.generate(setting=s.slug, education=e.slug, environ={}).decode()
        out["variants"][s.slug + "|" + e.slug] = md
    from jobgen.render.docx import default_reference_path
    out["reference_docx"] = str(default_reference_path())
    data = jobgen.generate(setting="inpatient", education="associate", fmt="docx", environ={})
    out["docx_magic"] = data[:2].decode()
    from jobgen.starter import starter_yaml
    out["starter_first_line"] = starter_yaml(guide).splitlines()[0]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    where = tmp_path_factory.mktemp("fresh")
    env_dir = where / "venv"
    # system site-packages supply click/jinja2/...; jobgen itself comes only from the wheel
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # Dependencies (click, Jinja2, ...) come from the environment running the tests, added at
    # the end of sys.path; jobgen itself must come from the new environment's own wheel install.
    new_site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    Path(new_site, "outer-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(ROOT)], check=True,
                   cwd=where)  # fmt: skip
    done = subprocess.run([python, "-c", CHECK], capture_output=True, text=True, cwd=where,
                          check=True, env={"PATH": "/usr/bin:/bin"})  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_installed_package_uses_its_own_files(installed):
    module = Path(str(installed["module"]))
    assert "site-packages" in module.parts
    templates = Path(str(installed["templates"]))
    assert templates == module.parent / "templates"


def test_all_sixteen_variants_render_from_the_wheel(installed):
    variants = installed["variants"]
    assert isinstance(variants, dict) and len(variants) == 16
    assert len(set(variants.values())) == 16
    for md in variants.values():
        assert md.startswith("# Mental Health Technician\n")
        assert md.count("- **") >= 5 + 4 + 3  # duties, skills, growth paths


def test_wheel_carries_the_default_reference_docx(installed):
    module = Path(str(installed["module"]))
    assert Path(str(installed["reference_docx"])) == module.parent / "templates" / "reference.docx"
    assert installed["docx_magic"] == "PK"


def test_wheel_carries_the_schemas_that_init_points_editors_at(installed):
    module = Path(str(installed["module"]))
    first = str(installed["starter_first_line"])
    assert first.startswith("# yaml-language-server: $schema=file://")
    schema = Path(first.partition("file://")[2])
    assert schema == module.parent / "schemas" / "employer.schema.json"
    assert schema.read_text(encoding="utf-8") == (ROOT / "schemas" / schema.name).read_text(
        encoding="utf-8"
    )
