"""Picture the first page of a DOCX as LibreOffice renders it (for the README).

Usage:  python3 tools/docx_page_png.py [DOCX] [PNG]
        defaults: examples/riverside-inpatient.docx → examples/posting-docx-page1.png

Needs LibreOffice (soffice) and poppler (pdftoppm); Calibri is drawn with its metric twin
Carlito when fonts-crosextra-carlito is installed. The PNG depends on the LibreOffice and font
versions, so no test compares its bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_page_png(docx: Path, png: Path, *, dpi: int = 80) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        sys.exit("needs LibreOffice (soffice) and poppler-utils (pdftoppm)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = work / f"{docx.stem}.pdf"
        stem = work / "page"
        subprocess.run(
            [pdftoppm, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, stem],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), png)


def main() -> None:
    docx = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples/riverside-inpatient.docx"
    png = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "examples/posting-docx-page1.png"
    first_page_png(docx, png)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
