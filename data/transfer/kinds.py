"""What each kind of file holds: one definition per kind of its columns, in file order.

A column has a name (the key of its header in the i18n catalogue, `field.<name>`, whose
Chinese and English words are the headers a file may use), the write side's field it fills,
how its cells are read and written, and an example value for the template. Facilities,
items, rounds and infectors are named in files by their codes (human-readable), never by
database ids; `resolve` turns codes into the write side's ids a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from data import models
from data.writes.actor import Actor
from data.writes.batch import Entity
from data.writes.cases import CASE, ZONE, link_infectors
from data.writes.errors import Problem
from data.writes.hotels import HOTEL_REPORT
from data.writes.rules import MISSING
from data.writes.supplies import STOCK_REPORT
from data.writes.testing import SITE_REPORT

# How a column's cells are read and written.
TEXT, CODE, COUNT, NUMBER, FLAG, TIME, DAY = (
    "text",
    "code",
    "count",
    "number",
    "flag",
    "time",
    "day",
)


@dataclass(frozen=True)
class Column:
    """One column of a kind's file."""

    name: str  # header key (field.<name> in the catalogue)
    cell: str  # TEXT, CODE, COUNT, NUMBER, FLAG, TIME or DAY
    example: Any  # the template's example value (None: looked up in the database)
    field: str | None = None  # the write side's field (default: the name); None for codes
    required: bool | None = None  # default: required when the write side requires the field

    @property
    def target(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Kind:
    """A kind of file: its columns, the write side's entity, how codes become ids."""

    name: str  # on the command line: site-reports
    entity: Entity
    columns: tuple[Column, ...]
    # Reference columns: column name -> (the write side's field, lookup).
    references: dict[str, tuple[str, Callable[[Session, set], dict]]]

    def required(self, column: Column) -> bool:
        if column.required is not None:
            return column.required
        target = self.references[column.name][0] if column.name in self.references else None
        field = target or column.target
        spec = self.entity.spec.fields.get(field)
        return spec is not None and spec[1] is MISSING

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


# --- Lookups: codes in a file -> ids ---------------------------------------------------------


def _by_code(model: type, code_column: str = "code", extra: tuple[str, ...] = ()) -> Callable:
    def lookup(session: Session, codes: set) -> dict:
        table = model.__table__
        found: dict = {}
        wanted = sorted(codes)
        for start in range(0, len(wanted), 1_000):
            part = wanted[start : start + 1_000]
            columns = [table.c[code_column], table.c.id, *(table.c[name] for name in extra)]
            for code, *values in session.execute(
                select(*columns).where(table.c[code_column].in_(part))
            ):
                found[code] = tuple(values) if extra else values[0]
        return found

    return lookup


facility_by_code = _by_code(models.Facility, extra=("district_code",))
item_by_code = _by_code(models.SupplyItem)
case_by_number = _by_code(models.Case, "case_no")


def round_by_number(session: Session, keys: set) -> dict:
    """(district code, round number) -> round id."""
    r = models.TestingRound
    districts = sorted({district for district, _ in keys})
    found = {}
    for district, number, round_id in session.execute(
        select(r.district_code, r.round_no, r.id).where(r.district_code.in_(districts))
    ):
        if (district, number) in keys:
            found[(district, number)] = round_id
    return found


def _counts(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, COUNT, 0) for name in names)


SITE_REPORTS = Kind(
    name="site-reports",
    entity=SITE_REPORT,
    columns=(
        Column("site_code", CODE, None, required=True),
        Column("round_no", COUNT, None, required=False),
        Column("reported_at", TIME, None),
        Column("is_open", FLAG, True),
        Column("sampled", COUNT, 1200),
        Column("resulted", COUNT, 800),
        Column("positive", COUNT, 0),
        *_counts("pools_positive"),
        Column("queue_wait_minutes", COUNT, 15),
    ),
    references={"site_code": ("site_id", facility_by_code), "round_no": ("round_id", None)},
)

HOTEL_REPORTS = Kind(
    name="hotel-reports",
    entity=HOTEL_REPORT,
    columns=(
        Column("hotel_code", CODE, None, required=True),
        Column("reported_at", TIME, None),
        Column("rooms_total", COUNT, 200),
        Column("rooms_occupied", COUNT, 150),
        Column("rooms_cleaning", COUNT, 10),
        Column("occupied_inbound", COUNT, 0),
        Column("occupied_close_contact", COUNT, 120),
        Column("occupied_secondary_contact", COUNT, 30),
        Column("intake", COUNT, 12),
        Column("discharges", COUNT, 8),
        Column("staff_on_duty", COUNT, 40),
    ),
    references={"hotel_code": ("hotel_id", facility_by_code)},
)

STOCK_COUNTS = Kind(
    name="stock-counts",
    entity=STOCK_REPORT,
    columns=(
        Column("item_code", CODE, None, required=True),
        Column("location_code", CODE, None, required=True),
        Column("reported_at", TIME, None),
        Column("on_hand", COUNT, 5000),
        Column("consumed", COUNT, 300),
        Column("received", COUNT, 0),
        Column("on_order", COUNT, 2000),
    ),
    references={
        "item_code": ("item_id", item_by_code),
        "location_code": ("location_id", facility_by_code),
    },
)

CASES = Kind(
    name="cases",
    entity=CASE,
    columns=(
        Column("case_no", TEXT, "示例-0001"),
        Column("kind", TEXT, "confirmed"),
        Column("source", TEXT, "local"),
        Column("severity", TEXT, "mild"),
        Column("status", TEXT, "admitted"),
        Column("report_date", DAY, None),
        Column("district_code", TEXT, None),
        Column("community_zh", TEXT, "白鹤洞街"),
        Column("community_en", TEXT, "Baihedong"),
        Column("lon", NUMBER, None),
        Column("lat", NUMBER, None),
        Column("hospital_code", CODE, "", required=False),
        Column("infector_case_no", CODE, "", required=False),
        *_counts(
            "close_contacts_identified",
            "close_contacts_controlled",
            "secondary_contacts_identified",
            "secondary_contacts_controlled",
        ),
        Column("discharged_date", DAY, ""),
    ),
    references={
        "hospital_code": ("hospital_id", facility_by_code),
        "infector_case_no": ("infector_case_id", case_by_number),
    },
)

ZONES = Kind(
    name="zones",
    entity=ZONE,
    columns=(
        Column("zone_code", TEXT, "示例-Z001", field="code"),
        Column("level", TEXT, "controlled"),
        Column("district_code", TEXT, None),
        Column("name_zh", TEXT, "示例小区"),
        Column("name_en", TEXT, "Example estate"),
        Column("center_lon", NUMBER, None),
        Column("center_lat", NUMBER, None),
        Column("radius_m", NUMBER, 500),
        Column("population", COUNT, 3000),
        Column("imposed_at", TIME, None),
        Column("lifted_at", TIME, ""),
        Column("polygon_geojson", TEXT, ""),
    ),
    references={},
)

KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (SITE_REPORTS, HOTEL_REPORTS, STOCK_COUNTS, CASES, ZONES)
}


# Stands for a code that names nothing, so that the rest of its row can still be checked.
PLACEHOLDER_ID = 1


# An empty cell: the row leaves its field out (the write side's default applies).
EMPTY = object()

Columns = dict[str, list[Any]]


def resolve(
    session: Session, kind: Kind, numbers: list[int], columns: Columns, cache: dict
) -> tuple[list[tuple[int, dict]], list[Problem], list[tuple[int, dict, set[str]]]]:
    """The rows of a chunk (given a column at a time, EMPTY for an empty cell) with codes
    turned into the write side's ids, a problem for each code that names nothing, and the
    rows with such codes (number, row, the fields of those codes): the write side never
    sees them (the batch is refused anyway), but their other fields are still checked, so
    that every problem of a row is named at once.

    Codes are looked up once per distinct code; a chunk whose codes all name records is
    turned into rows a column at a time, any other row by row.
    """
    for column, (_, lookup) in kind.references.items():
        if lookup is None:
            continue
        known = cache.setdefault(column, {})
        if column not in columns:
            continue
        wanted = set(columns[column])
        wanted.discard(EMPTY)
        wanted.discard("")
        missing = wanted - known.keys()
        if missing:
            found = lookup(session, missing)
            known.update(found)
            known.update((code, None) for code in missing - found.keys())
    if kind is SITE_REPORTS:
        _resolve_rounds(session, columns, cache)
    fields = _resolved_columns(kind, columns, cache)
    if fields is None:
        return _resolve_rows(kind, list(zip(numbers, rows_of(columns), strict=True)), cache)
    if kind is CASES and "case_no" in columns:
        earlier = cache.setdefault("file_case_numbers", set())
        earlier.update(columns["case_no"])
        earlier.difference_update((EMPTY, ""))
    return list(zip(numbers, rows_of(fields), strict=True)), [], []


def rows_of(columns: Columns) -> list[dict[str, Any]]:
    """Columns -> rows (dicts), leaving out the EMPTY cells."""
    names = list(columns)
    values = list(columns.values())
    if not any(EMPTY in column for column in values):
        return [dict(zip(names, cells, strict=True)) for cells in zip(*values, strict=True)]
    return [
        {name: cell for name, cell in zip(names, cells, strict=True) if cell is not EMPTY}
        for cells in zip(*values, strict=True)
    ]


def _resolved_columns(kind: Kind, columns: Columns, cache: dict) -> Columns | None:
    """The chunk's columns with every code turned into its id (keyed by the write side's
    fields), or None when a code names nothing (the rows are then resolved one by one)."""
    fields = {name: values for name, values in columns.items() if name not in kind.references}
    districts: list[Any] | None = None
    for column, (field, lookup) in kind.references.items():
        values = columns.get(column)
        if values is None:
            continue
        if lookup is None:  # a round: by the site's district and its number
            if districts is None:
                return None
            rounds = cache.get("rounds", {})
            found = list(map(rounds.get, zip(districts, values, strict=True)))
        else:
            found = list(map(cache[column].get, values))
        # EMPTY and "" name nothing: every other None is a code that names nothing.
        empty = values.count(EMPTY) + values.count("")
        if found.count(None) != empty:
            return None
        sample = next((value for value in found if value is not None), None)
        if type(sample) is tuple:  # facilities: (id, district)
            districts = [None if value is None else value[1] for value in found]
            found = [EMPTY if value is None else value[0] for value in found]
        elif empty:
            found = [EMPTY if value is None else value for value in found]
        fields[field] = found
    return fields


def _resolve_rows(
    kind: Kind, rows: list[tuple[int, dict]], cache: dict
) -> tuple[list[tuple[int, dict]], list[Problem], list[tuple[int, dict, set[str]]]]:
    """`resolve` row by row: for a chunk with codes that name nothing."""
    resolved: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    unresolved: list[tuple[int, dict, set[str]]] = []
    earlier = cache.setdefault("file_case_numbers", set()) if kind is CASES else None
    references = [
        (
            column,
            field,
            None if lookup is None else cache[column],
            _ENTITIES.get(column, "facility"),
        )
        for column, (field, lookup) in kind.references.items()
    ]
    rounds = cache.get("rounds", {})
    for number, row in rows:
        bad: set[str] | None = None
        district = None
        own_number = row.get("case_no") if earlier is not None else None
        for column, field, codes, entity in references:
            code = row.pop(column, None)
            if code is None or code == "":
                continue
            if codes is None:  # a round: by the site's district and its number
                value = rounds.get((district, code))
                entity = "round"
            else:
                value = codes.get(code)
                if type(value) is tuple:  # a facility: (id, district)
                    value, district = value
            if value is not None:
                row[field] = value
                continue
            if earlier is not None and code in earlier:
                # An infector on an earlier row of the file: linked once the file is written.
                cache.setdefault("infectors_later", []).append((own_number, code))
                continue
            if not (codes is None and district is None):
                problems.append(
                    Problem("not_found", column, number, {"entity": entity, "key": code})
                )
            bad = bad or set()
            bad.add(field)
            row[field] = PLACEHOLDER_ID
        if earlier is not None and own_number not in (None, ""):
            earlier.add(own_number)
        if bad:
            unresolved.append((number, row, bad))
        else:
            resolved.append((number, row))
    return resolved, problems, unresolved


# What a reference column's codes name, in "there is no record X among ...".
_ENTITIES = {"item_code": "supply_item", "infector_case_no": "case"}


def link_infectors_later(session: Session, actor: Actor, cache: dict) -> None:
    """Link the cases whose infector was an earlier row of the same file, now written (through
    the write side: checked, authorised, logged as one entry of infector links)."""
    pairs = cache.get("infectors_later")
    if not pairs:
        return
    c = models.Case
    numbers = sorted({number for pair in pairs for number in pair})
    ids: dict = {}
    for start in range(0, len(numbers), 1_000):
        part = numbers[start : start + 1_000]
        ids.update(session.execute(select(c.case_no, c.id).where(c.case_no.in_(part))).all())
    link_infectors(
        session,
        actor=actor,
        links=[(ids[case], ids[infector]) for case, infector in pairs],
        dated=False,
    )


def _resolve_rounds(session: Session, columns: Columns, cache: dict) -> None:
    """Look up the rounds a chunk names (by its sites' districts and round numbers)."""
    rounds = cache.setdefault("rounds", {})
    if "round_no" not in columns or "site_code" not in columns:
        return
    numbers = columns["round_no"]
    given = set(numbers)
    if any(type(number) is float for number in given):  # 1.0 from a spreadsheet
        numbers = columns["round_no"] = [
            int(n) if type(n) is float and n.is_integer() else n for n in numbers
        ]
        given = set(numbers)
    given.difference_update((EMPTY, ""))
    sites = cache["site_code"]
    # Every district of the chunk's sites with every round number it gives: a few keys more
    # than the rows name (looked up once), instead of a key per row.
    districts = {site[1] for code in set(columns["site_code"]) if (site := sites.get(code))}
    wanted = {(district, number) for district in districts for number in given}
    missing = {key for key in wanted - rounds.keys() if isinstance(key[1], int)}
    if missing:
        found = round_by_number(session, missing)
        rounds.update(found)
        rounds.update((key, None) for key in missing - found.keys())
