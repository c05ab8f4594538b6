"""Bulk import and export of spreadsheets (CSV and Excel), and their templates.

`kinds` says what each kind of file holds (one definition of its columns), `reading` what a
file really is and its header and rows, `cells` how cells become values and back,
`importing` hands rows to the write side (the one path of every write), `exporting` writes
the current records in the import format. No Streamlit here: the admin page and the
command line both call these.
"""

from data.transfer.exporting import FORMATS, export_bytes, export_kind, template_bytes
from data.transfer.importing import ImportResult, import_file
from data.transfer.kinds import KINDS
from data.transfer.reading import UnreadableFile

__all__ = [
    "FORMATS",
    "KINDS",
    "ImportResult",
    "UnreadableFile",
    "export_bytes",
    "export_kind",
    "import_file",
    "template_bytes",
]
