"""Reading a CSV or Excel file: what it really is, its encoding, its header, its rows.

Nothing is guessed silently: a file is refused, with a message key and parameters, when its
content is not what its name says (a picture named .csv, a CSV named .xlsx, an old .xls),
when its text is neither UTF-8 (with or without a byte-order mark) nor GB18030 (of which
GBK is a part: what Chinese Excel writes by default), when it is empty or holds only its
header, or when its header is not one row of known column names. Rows stream in chunks,
a column at a time (so that the importer reads each column's texts in one pass), numbered
as the spreadsheet numbers them (the header is row 1), so memory stays bounded for a file
of a million rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, islice
from typing import IO, Any

import pandas as pd

from data.transfer.kinds import Kind
from data.writes.errors import Problem

CHUNK_ROWS = 10_000
_SNIFF_BYTES = 65_536
_BLOCK = 1 << 20
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)
_PNG = b"\x89PNG"
# Magic numbers of files people upload by mistake, named in the refusal.
_MAGIC = {_PNG: "PNG", b"\xff\xd8\xff": "JPEG", b"%PDF": "PDF", b"GIF8": "GIF", _OLE: "XLS"}
EXTENSIONS = (".csv", ".xlsx")


class UnreadableFile(Exception):
    """The file cannot be read as a table of this kind; `problem` says why."""

    def __init__(self, code: str, **params: Any) -> None:
        self.problem = Problem(f"file_{code}", params=params)
        super().__init__(str(self.problem))


@dataclass
class Chunk:
    """Consecutive rows of a file, a column at a time: `cells[c][i]` is row `numbers[i]`'s
    cell in column c (None where the row is shorter than the header)."""

    numbers: list[int]
    cells: list[Sequence[Any]]  # one per column, in the file's order
    problems: list[Problem]  # rows refused as they were read (cells beyond the header)

    @property
    def size(self) -> int:
        """Rows read, the refused ones included."""
        return len(self.numbers) + len(self.problems)


@dataclass
class Table:
    """A file's header, matched to columns, and its rows in chunks."""

    columns: list[str]  # column names, in the file's order
    rows: Iterator[Chunk]
    total: int | None  # rows expected (for a progress bar), when known
    encoding: str | None  # CSV only


def open_table(stream: IO[bytes], filename: str, kind: Kind) -> Table:
    """Look at the file and its header; the rows are read as the returned chunks are."""
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in EXTENSIONS:
        raise UnreadableFile("extension", name=filename, allowed=", ".join(EXTENSIONS))
    stream.seek(0)
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UnreadableFile("empty")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise UnreadableFile("is_other", what=what, name=filename)
    if extension == ".xlsx":
        if not head.startswith(_ZIP):
            raise UnreadableFile("not_xlsx", name=filename)
        return _xlsx_table(stream, kind)
    if head.startswith(_ZIP):
        raise UnreadableFile("xlsx_named_csv", name=filename)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile("encoding")  # UTF-16 ("Unicode text" in Excel): not accepted
    return _csv_table(stream, kind)


# --- CSV -------------------------------------------------------------------------------------


def detect_encoding(stream: IO[bytes]) -> tuple[str, int]:
    """The CSV's encoding (utf-8-sig, utf-8 or gb18030) and its number of line breaks.

    Reads the file once, in blocks: a byte-order mark means UTF-8; else the whole file must
    decode strictly as UTF-8, else strictly as GB18030; a NUL byte means it is not text.
    """
    stream.seek(0)
    bom = stream.read(3) == codecs.BOM_UTF8
    candidates = ["utf-8-sig"] if bom else ["utf-8", "gb18030"]
    for encoding in candidates:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        lines = 0
        try:
            while block := stream.read(_BLOCK):
                if b"\x00" in block:
                    raise UnreadableFile("binary")
                lines += block.count(b"\n")
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding, lines
    raise UnreadableFile("encoding")


def _csv_table(stream: IO[bytes], kind: Kind) -> Table:
    encoding, lines = detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first = text.readline()
    delimiter = "\t" if "\t" in first and "," not in first else ","
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    columns = match_header(kind, header or [])

    def chunks() -> Iterator[Chunk]:
        width = len(columns)
        first = 2  # the number of the next row (the header is row 1)
        text.seek(0)
        frames = pd.read_csv(
            text,
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            chunksize=CHUNK_ROWS,
            engine="c",
        )
        try:
            for frame in frames:
                if first == 2 and not frame.index.empty and frame.index[0] == 0:
                    frame = frame.iloc[1:]  # the header
                chunk = _frame_chunk(frame, first, width)
                if chunk.size:
                    yield chunk
                first += len(frame)
            return
        except pd.errors.ParserError:
            pass  # rows of more cells than the header: the csv module names each of them
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        next(islice(reader, first - 1, first - 1), None)  # the header and the rows yielded
        try:
            while block := list(islice(reader, CHUNK_ROWS)):
                chunk = _csv_chunk(block, first, width)
                if chunk.size:
                    yield chunk
                first += len(block)
        except csv.Error as error:
            raise UnreadableFile("csv", reason=str(error)) from None

    return Table(columns, _not_empty(chunks()), max(lines - 1, 1), encoding)


def _frame_chunk(frame: pd.DataFrame, first: int, width: int) -> Chunk:
    """Rows `first`, `first` + 1, ... of a CSV file read by pandas' C parser (every cell a
    text, "" for a cell a short row lacks), as `_csv_chunk` would give them."""
    if frame.shape[1] != width:  # blank header cells at the end: rows may fill them
        return _csv_chunk(list(map(list, frame.itertuples(index=False))), first, width)
    numbers = range(first, first + len(frame))
    filled = frame.ne("").to_numpy().any(axis=1)
    if filled.all():
        return Chunk(list(numbers), [frame[c].tolist() for c in frame.columns], [])
    frame = frame[filled]
    return Chunk(list(compress(numbers, filled)), [frame[c].tolist() for c in frame.columns], [])


def _csv_chunk(block: list[list[str]], first: int, width: int) -> Chunk:
    """Rows `first`, `first` + 1, ... of a CSV file: blank rows left out, rows with cells
    beyond the header refused (blank cells there are let go), short rows filled with None."""
    if all(len(cells) == width for cells in block):  # as a spreadsheet writes them
        filled = list(map(any, block))
        if all(filled):
            return _chunk(list(range(first, first + len(block))), block, [], width)
        numbers = list(compress(range(first, first + len(block)), filled))
        return _chunk(numbers, list(compress(block, filled)), [], width)
    numbers: list[int] = []
    records: list[list[str | None]] = []
    problems: list[Problem] = []
    for number, cells in enumerate(block, start=first):
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            problems.append(Problem("extra_cells", None, number, {"count": len(cells) - width}))
        elif any(cells):
            numbers.append(number)
            records.append(cells[:width] + [None] * (width - len(cells)))
    return _chunk(numbers, records, problems, width)


# --- Excel -----------------------------------------------------------------------------------


def _xlsx_table(stream: IO[bytes], kind: Kind) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile("bad_xlsx", reason=type(error).__name__) from None
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise UnreadableFile("bad_xlsx", reason=type(error).__name__) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise UnreadableFile("empty")
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise UnreadableFile("empty")
    columns = match_header(kind, ["" if cell is None else str(cell) for cell in header])
    total = sheet.max_row - 1 if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None

    def chunks() -> Iterator[Chunk]:
        width = len(columns)
        numbers: list[int] = []
        records: list[Sequence[Any]] = []
        problems: list[Problem] = []
        try:
            for number, cells in enumerate(rows, start=2):
                if len(cells) > width and any(_filled(cell) for cell in cells[width:]):
                    extra = Problem("extra_cells", None, number, {"count": len(cells) - width})
                    problems.append(extra)
                elif any(_filled(cell) for cell in cells):
                    numbers.append(number)
                    records.append(tuple(cells[:width]) + (None,) * (width - len(cells)))
                if len(records) + len(problems) >= CHUNK_ROWS:
                    yield _chunk(numbers, records, problems, width)
                    numbers, records, problems = [], [], []
        except Exception as error:  # noqa: BLE001 - a broken sheet part mid-way
            raise UnreadableFile("bad_xlsx", reason=type(error).__name__) from None
        finally:
            workbook.close()
        if records or problems:
            yield _chunk(numbers, records, problems, width)

    return Table(columns, _not_empty(chunks()), total, None)


def _chunk(
    numbers: list[int], records: list[Sequence[Any]], problems: list[Problem], width: int
) -> Chunk:
    """Rows of `width` cells each, turned into columns."""
    cells = list(zip(*records, strict=True)) if records else [() for _ in range(width)]
    return Chunk(numbers, cells, problems)


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _not_empty(chunks: Iterator) -> Iterator:
    """The chunks, refusing a file with a header and no rows before anything is written."""
    first = next(chunks, None)
    if first is None:
        raise UnreadableFile("no_rows")

    def again() -> Iterator:
        yield first
        yield from chunks

    return again()


# --- The header ------------------------------------------------------------------------------


def _normal(text: str) -> str:
    text = text.replace("\ufeff", "").replace("（", "(").replace("）", ")").strip().lower()
    return re.sub(r"[\s_]+", " ", text)


def header_names(kind: Kind) -> dict[str, str]:
    """Every header a file may use for each column (normalised) -> the column's name."""
    from i18n import CATALOGUE

    names: dict[str, str] = {}
    for column in kind.columns:
        zh, en = CATALOGUE[f"field.{column.name}"]
        for alias in (zh, en, column.name, template_header(column.name)):
            names[_normal(alias)] = column.name
    return names


def template_header(name: str) -> str:
    """A template's header: both languages, e.g. 采样点编码 / site code."""
    from i18n import CATALOGUE

    zh, en = CATALOGUE[f"field.{name}"]
    return f"{zh} / {en}"


def column_letter(index: int) -> str:
    """A spreadsheet's column letter: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def match_header(kind: Kind, header: list[str]) -> list[str]:
    """The column name of each header cell, or refuse: blank or merged header cells,
    unknown or repeated headers, missing required columns."""
    while header and not str(header[-1]).strip():
        header = header[:-1]
    if not header:
        raise UnreadableFile("empty")
    names = header_names(kind)
    columns: list[str] = []
    unknown: list[str] = []
    for index, cell in enumerate(header):
        text = _normal(str(cell))
        if not text:
            raise UnreadableFile("blank_header", column=column_letter(index))
        name = names.get(text)
        if name is None:
            unknown.append(f"{column_letter(index)}: {str(cell).strip()}")
        elif name in columns:
            raise UnreadableFile("repeated_header", column=column_letter(index), header=cell)
        columns.append(name or "")
    if unknown and len(header) == 1:
        raise UnreadableFile("title_row", header=str(header[0]).strip()[:60])
    if unknown:
        raise UnreadableFile("unknown_columns", columns="; ".join(unknown))
    missing = [c.name for c in kind.columns if kind.required(c) and c.name not in columns]
    if missing:
        raise UnreadableFile("missing_columns", columns=missing)
    return columns
