"""Many postings at once: read rows (CSV, YAML, JSON Lines), render them on several processes,
write one file per row per format into a folder, and a manifest of what happened.

Library use::

    from jobgen.batch import run_batch

    result = run_batch("postings.csv", out_dir="out", formats=["md"], jobs=4)
    for row in result.postings:
        print(row.row, row.status, [f.path for f in row.files], row.error)

Precedence of options for each row, weakest first: ``employer_file``, the ``defaults`` mapping,
the input's own ``defaults:`` (YAML), ``JOBGEN_*`` variables, ``assignments``, then the row.

A bad row never stops the others: it is recorded with ``status="error"`` and a message naming
the file, the row and the field. A file already at a row's target is left as it is unless
``force``: ``skipped`` when it holds what the row renders now, ``changed`` (exit 1) when not.

The package, one module per job: :mod:`.inputs` (reading rows), :mod:`.naming` (file names),
:mod:`.row` (one row, and a chunk of rows), :mod:`.manifest` (results and the manifest),
:mod:`.scheduler` (:func:`run_batch`: checks, this process or a pool of workers, stopping).
Memory stays flat as the input grows: rows are read as they are needed, a bounded number is
in flight, and the manifest's entries are spooled to a temporary file until it is written.
"""

from __future__ import annotations

from .inputs import INPUT_FORMATS, BatchInput, Row, open_input, read_csv, read_jsonl, read_yaml
from .manifest import STATUSES, BatchInterrupted, BatchResult, FileRecord, RowResult
from .naming import (
    DEFAULT_NAME_PATTERN,
    MANIFEST_NAME,
    NAME_FIELDS,
    assign_names,
    check_name_pattern,
    extension_for,
    format_name,
    name_fields,
)
from .scheduler import run_batch

__all__ = [
    "DEFAULT_NAME_PATTERN",
    "INPUT_FORMATS",
    "MANIFEST_NAME",
    "NAME_FIELDS",
    "STATUSES",
    "BatchInput",
    "BatchInterrupted",
    "BatchResult",
    "FileRecord",
    "Row",
    "RowResult",
    "assign_names",
    "check_name_pattern",
    "extension_for",
    "format_name",
    "name_fields",
    "open_input",
    "read_csv",
    "read_jsonl",
    "read_yaml",
    "run_batch",
]
