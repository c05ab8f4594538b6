"""Validation, apart from writing: field rules and row rules, checked over a whole batch.

A spec lists an entity's fields with their kind; `check_rows` runs them over every row and
returns the clean rows and every problem (row, field, code, parameters), so that a file of
100,000 rows is reported in full before anything is written. The rules are the same on both
backends: counts are whole, non-negative and fit the column (32-bit on both), coordinates lie
inside the city, times are neither in the future (beyond a few minutes of clock skew) nor
before the outbreak could have begun.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from data.reference.districts import DISTRICT_TABLE, city_bounds
from data.timeutil import as_utc, command_zone, local_day, utc_now
from data.writes.errors import Problem

INT32_MAX = 2**31 - 1
# Reports may run this far ahead of the server's clock (devices' clocks drift).
CLOCK_SKEW = timedelta(minutes=5)
# Nothing this product records can predate the first COVID-19 cases.
EARLIEST_EVENT = datetime(2019, 12, 1, tzinfo=UTC)

MISSING = object()


class Bad(Exception):
    """A field's value is refused: the problem code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Context:
    """What the rules compare against: the clock and the earliest allowed moment."""

    now: datetime
    earliest: datetime = EARLIEST_EVENT

    @classmethod
    def current(cls) -> Context:
        return cls(now=utc_now())

    @property
    def latest(self) -> datetime:
        return self.now + CLOCK_SKEW


Checker = Callable[[Any, Context], Any]


@dataclass(frozen=True)
class Spec:
    """An entity's fields (name -> checker, default) and its rules across fields."""

    fields: dict[str, tuple[Checker, Any]]
    rules: tuple[Callable[[dict[str, Any]], Problem | None], ...] = ()
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", frozenset(self.fields))


def required(checker: Checker) -> tuple[Checker, Any]:
    return checker, MISSING


def optional(checker: Checker, default: Any = None) -> tuple[Checker, Any]:
    return checker, default


# --- Field checkers ------------------------------------------------------------------------


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Bad("not_number", value=value)
    if isinstance(value, float) and not math.isfinite(value):
        raise Bad("not_finite", value=value)
    return value


def whole(minimum: int = 0, maximum: int = INT32_MAX) -> Checker:
    """A whole number in [minimum, maximum] (a float like 3.0 from a spreadsheet is 3)."""

    def check(value: Any, _: Context) -> int:
        if type(value) is not int:
            value = _number(value)
            if isinstance(value, float):
                if not value.is_integer():
                    raise Bad("not_whole", value=value)
                value = int(value)
        if value < minimum:
            raise Bad("negative" if minimum == 0 else "too_small", value=value, minimum=minimum)
        if value > maximum:
            raise Bad("too_large", value=value, maximum=maximum)
        return value

    check.accepts = lambda value, _: type(value) is int and minimum <= value <= maximum

    def many(rows: list, name: str, _: Context) -> list[int]:
        return [
            i
            for i, row in enumerate(rows)
            if type(value := row.get(name)) is not int or value < minimum or value > maximum
        ]

    check.many = many
    return check


count = whole()
positive_count = whole(minimum=1)


def positive_number(value: Any, _: Context) -> float:
    value = _number(value)
    if value <= 0:
        raise Bad("not_positive", value=value)
    return float(value)


def _coordinate(index: int, axis: str) -> Checker:
    def check(value: Any, _: Context) -> float:
        value = float(_number(value))
        bounds = city_bounds()
        low, high = bounds[index], bounds[index + 2]
        if not low <= value <= high:
            raise Bad("outside_city", value=value, axis=axis, low=low, high=high)
        return value

    return check


longitude = _coordinate(0, "lon")
latitude = _coordinate(1, "lat")


def flag(value: Any, _: Context) -> bool:
    if not isinstance(value, bool):
        raise Bad("not_bool", value=value)
    return value


flag.accepts = lambda value, _: type(value) is bool
flag.many = lambda rows, name, _: [
    i for i, row in enumerate(rows) if type(row.get(name)) is not bool
]


def text(max_length: int, *, blank: bool = False) -> Checker:
    def check(value: Any, _: Context) -> str:
        if not isinstance(value, str):
            raise Bad("not_text", value=value)
        value = value.strip()
        if not value and not blank:
            raise Bad("blank")
        if len(value) > max_length:
            raise Bad("too_long", length=len(value), maximum=max_length)
        return value

    return check


def one_of(choices: Sequence[str]) -> Checker:
    allowed = frozenset(choices)

    def check(value: Any, _: Context) -> str:
        if value not in allowed:
            raise Bad("not_a_choice", value=value, choices=", ".join(choices))
        return value

    return check


district = one_of(tuple(code for code, *_ in DISTRICT_TABLE))


def reference(value: Any, _: Context) -> int:
    """The id of another record (whether it exists is checked against the database)."""
    if type(value) is not int or value < 1 or value > INT32_MAX:
        raise Bad("not_a_reference", value=value)
    return value


reference.accepts = lambda value, _: type(value) is int and 1 <= value <= INT32_MAX


def _references_many(rows: list, name: str, _: Context) -> list[int]:
    return [
        i
        for i, row in enumerate(rows)
        if type(value := row.get(name)) is not int or value < 1 or value > INT32_MAX
    ]


reference.many = _references_many


def _parse(value: Any, kind: type, code: str) -> Any:
    if isinstance(value, str):
        try:
            return kind.fromisoformat(value.strip())
        except ValueError:
            raise Bad(code, value=value) from None
    return value


def moment(value: Any, _: Context) -> datetime:
    """Any moment (deadlines may lie ahead); stored in UTC, naive taken as UTC."""
    value = _parse(value, datetime, "not_a_time")
    if not isinstance(value, datetime):
        raise Bad("not_a_time", value=value)
    return as_utc(value)


def event_time(value: Any, context: Context) -> datetime:
    """The moment something happened: not in the future, not before the outbreak."""
    value = moment(value, context)
    if value > context.latest:
        raise Bad("in_future", value=value, now=context.now)
    if value < context.earliest:
        raise Bad("too_early", value=value, earliest=context.earliest)
    return value


# Already an aware UTC datetime within bounds: the checker would return it as it is.
event_time.accepts = lambda value, context: (
    type(value) is datetime and value.tzinfo is UTC and context.earliest <= value <= context.latest
)


def event_day(value: Any, context: Context) -> date:
    """The day something happened, in the command's zone: not after today, not too early."""
    value = _parse(value, date, "not_a_date")
    if isinstance(value, datetime) or not isinstance(value, date):
        raise Bad("not_a_date", value=value)
    zone = command_zone()
    if value > local_day(context.latest, zone):
        raise Bad("in_future", value=value, now=context.now)
    if value < local_day(context.earliest, zone):
        raise Bad("too_early", value=value, earliest=context.earliest)
    return value


def day(value: Any, _: Context) -> date:
    """A calendar day (a due date may lie ahead)."""
    value = _parse(value, date, "not_a_date")
    if isinstance(value, datetime) or not isinstance(value, date):
        raise Bad("not_a_date", value=value)
    return value


def maybe(checker: Checker) -> Checker:
    """The checker, or None for an empty value."""

    def check(value: Any, context: Context) -> Any:
        return None if value is None or value == "" else checker(value, context)

    inner = getattr(checker, "accepts", None)
    if inner is not None:
        check.accepts = lambda value, context: value is None or inner(value, context)
    inner_many = getattr(checker, "many", None)
    if inner_many is not None:

        def many(rows: list, name: str, context: Context) -> list[int]:
            return [
                i for i in inner_many(rows, name, context) if rows[i].get(name, MISSING) is not None
            ]

        check.many = many
    return check


# --- Row rules -----------------------------------------------------------------------------


def not_above(field_name: str, limit: str, code: str) -> Callable[[dict], Problem | None]:
    """A rule: row[field_name] <= row[limit]."""

    def rule(row: dict[str, Any]) -> Problem | None:
        if row[field_name] is not None and row[limit] is not None and row[field_name] > row[limit]:
            return Problem(code, field_name, params={"value": row[field_name], "limit": row[limit]})
        return None

    return rule


# --- Running a spec over a batch ----------------------------------------------------------


def check_row(spec: Spec, row: Mapping[str, Any], context: Context) -> tuple[dict, list[Problem]]:
    """One row's clean values and its problems (field problems first, then row rules)."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, (checker, default) in spec.fields.items():
        value = row.get(name, MISSING)
        if value is MISSING or value is None:
            if default is MISSING:
                problems.append(Problem("required", name))
            else:
                clean[name] = default
            continue
        try:
            clean[name] = checker(value, context)
        except Bad as bad:
            problems.append(Problem(bad.code, name, params=bad.params))
    for name in row.keys() - spec.names:
        problems.append(Problem("unknown_field", name))
    if not problems:
        for rule in spec.rules:
            problem = rule(clean)
            if problem is not None:
                problems.append(problem)
    return clean, problems


def check_rows(
    spec: Spec,
    rows: Iterable[Mapping[str, Any]],
    context: Context,
    *,
    first_row: int = 1,
    numbers: Iterable[int] | None = None,
) -> tuple[list[dict], list[int], list[Problem]]:
    """Every row checked: (clean rows, their row numbers, problems with row numbers).

    Rows are numbered from `first_row`, or by `numbers` (a file's own row numbers). The
    same as `check_row` on each row, a column at a time: values a field's checker would
    return unchanged (`accepts`) pass at once, only the others go through the checker.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    numbers = list(numbers) if numbers is not None else range(first_row, first_row + len(rows))
    if len(numbers) != len(rows):
        raise ValueError("as many row numbers as rows")
    # Copies of the rows, in which only values a checker changed (or a default) are set.
    cleaned = list(map(dict, rows))
    problems_of: dict[int, list[Problem]] = {}
    for name, (checker, default) in spec.fields.items():
        if default is not MISSING and not any(name in row for row in rows):
            for clean in cleaned:  # a column no row gives (not in the file): its default
                clean[name] = default
            continue
        accepts = getattr(checker, "accepts", None)
        many = getattr(checker, "many", None)
        if many is not None:
            slow = many(rows, name, context)
        elif accepts is None:
            slow = range(len(rows))
        else:
            slow = [i for i, row in enumerate(rows) if not accepts(row.get(name, MISSING), context)]
        for i in slow:
            value = rows[i].get(name, MISSING)
            if value is MISSING or value is None:
                if default is MISSING:
                    problems_of.setdefault(i, []).append(Problem("required", name))
                else:
                    cleaned[i][name] = default
                continue
            try:
                cleaned[i][name] = checker(value, context)
            except Bad as bad:
                problems_of.setdefault(i, []).append(Problem(bad.code, name, params=bad.params))
    known = spec.names.issuperset
    for i, row in enumerate(rows):
        if not known(row):
            for name in row.keys() - spec.names:
                problems_of.setdefault(i, []).append(Problem("unknown_field", name))
    if spec.rules:
        for i, clean in enumerate(cleaned):
            if i in problems_of:
                continue
            for rule in spec.rules:
                problem = rule(clean)
                if problem is not None:
                    problems_of.setdefault(i, []).append(problem)
    if not problems_of:
        return cleaned, list(numbers), []
    clean_rows = [clean for i, clean in enumerate(cleaned) if i not in problems_of]
    kept = [number for i, number in enumerate(numbers) if i not in problems_of]
    problems = [
        problem.at_row(numbers[i]) for i in sorted(problems_of) for problem in problems_of[i]
    ]
    return clean_rows, kept, problems
