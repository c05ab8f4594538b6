"""Reads about cases, contacts, transmission links and control zones.

The case filters every read here shares: local cases only, reported in [start, end], in one
district, of some kinds. Positions are community-level; no read returns anything that
identifies a person (the Case table holds nothing of the kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Float, Numeric, and_, case, cast, func, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session

from data import models
from data.codes import DESIGNATED_HOSPITAL, GENERAL_HOSPITAL, MAP_FACILITY_KINDS, ZONE_LEVELS
from data.measures.cases import SEVEN_DAYS, daily_series, trailing_average, transmission_chains
from data.queries.asof import CONTACT_COLUMNS, contacts_at, settings_at
from data.queries.reach import reaches

# Severities counted as "severe" on the case map (severe and critical cases).
SEVERE = ("severe", "critical")
# Facilities drawn on the case map.
# Case positions are grouped to this many decimals of a degree (about 100 m) for density.
DENSITY_DECIMALS = 3


@dataclass(frozen=True)
class CaseTotals:
    """Local infections: new on a day (by kind) and the day before, in total by kind, and in
    hospital (and of them severe or critical) at the end of the day."""

    new_today: int
    new_yesterday: int
    total: int
    confirmed: int
    asymptomatic: int
    new_confirmed: int = 0
    new_asymptomatic: int = 0
    in_hospital: int = 0
    severe: int = 0


@dataclass(frozen=True)
class ContactTotals:
    """Close and secondary contacts identified and placed under control."""

    close_identified: int
    close_controlled: int
    secondary_identified: int
    secondary_controlled: int

    @property
    def controlled(self) -> int:
        return self.close_controlled + self.secondary_controlled

    @property
    def identified(self) -> int:
        return self.close_identified + self.secondary_identified


@dataclass(frozen=True)
class CaseExtent:
    """The local cases reported by a day: first and last report dates, bounding box."""

    cases: int
    first_date: date | None
    last_date: date | None
    min_lon: float | None
    min_lat: float | None
    max_lon: float | None
    max_lat: float | None


@dataclass(frozen=True)
class ChainSummary:
    """Transmission chains among the cases reported by a day, largest first."""

    chains: pd.DataFrame
    linked_chains: int
    linked_cases: int
    single_cases: int


def local_case_conditions(
    *,
    end: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    c: Any = models.Case,
) -> list[ColumnElement[bool]]:
    """SQL conditions of the case filters: local, reported in [start, end], district, kinds
    (of `c`: the cases, or their settings at a moment, `settings_at`)."""
    conditions: list[ColumnElement[bool]] = [c.source == "local", c.report_date <= end]
    if start is not None:
        conditions.append(c.report_date >= start)
    if district:
        conditions.append(c.district_code == district)
    if kinds is not None:
        conditions.append(c.kind.in_(kinds))
    return conditions


def status_on(day: date, c: Any = models.Case) -> ColumnElement[str]:
    """SQL: the case's status at the end of `day` (discharged later: still admitted then)."""
    return case(
        (and_(c.status == "discharged", c.discharged_date > day), "admitted"), else_=c.status
    )


def in_hospital_on(day: date, c: Any = models.Case) -> ColumnElement[bool]:
    """SQL condition: the case was in hospital at the end of `day` (admitted, not yet out)."""
    return and_(
        c.report_date <= day,
        or_(
            c.status == "admitted",
            and_(c.status == "discharged", c.discharged_date > day),
        ),
    )


@reaches("cases", "zones", "places")
def get_local_case_totals(
    *,
    session: Session,
    today: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    at: datetime | None = None,
) -> CaseTotals:
    """New local infections today (by kind) and yesterday, totals from `start` up to today by
    kind, and those in hospital at the end of today (as the case map counts them), with each
    case's status and severity as set at `at` (None: as they are now)."""
    c = settings_at(session, models.Case, at)
    in_range = c.report_date >= start if start is not None else true()
    hospital = and_(in_range, in_hospital_on(today, c))
    row = session.execute(
        select(
            func.count().filter(c.report_date == today),
            func.count().filter(c.report_date == today - timedelta(days=1)),
            func.count().filter(in_range),
            func.count().filter(in_range, c.kind == "confirmed"),
            func.count().filter(in_range, c.kind == "asymptomatic"),
            func.count().filter(c.report_date == today, c.kind == "confirmed"),
            func.count().filter(c.report_date == today, c.kind == "asymptomatic"),
            func.count().filter(hospital),
            func.count().filter(hospital, c.severity.in_(SEVERE)),
        ).where(*local_case_conditions(end=today, district=district, kinds=kinds, c=c))
    ).one()
    return CaseTotals(*(int(value) for value in row))


def get_contact_totals(
    *,
    session: Session,
    today: date,
    local_only: bool = False,
    at: datetime | None = None,
) -> ContactTotals:
    """Contacts of cases reported up to today (all, or local only): identified, under control,
    as reported by `at` (a moment of `today`; None: the current counts)."""
    c = models.Case
    conditions = [c.report_date <= today]
    if local_only:
        conditions.append(c.source == "local")
    counts, joined = _contact_counts(session, at)
    query = select(*(func.coalesce(func.sum(column), 0) for column in counts))
    row = session.execute(joined(query.select_from(c)).where(*conditions)).one()
    return ContactTotals(*(int(value) for value in row))


def _contact_counts(session: Session, at: datetime | None, c: Any = models.Case):  # noqa: ANN202
    """The four contact counts of a case as of `at` (its own columns when they are those),
    and how to join a query over Case (`c`) to them."""
    history = contacts_at(session, at)
    if history is None:
        return [getattr(c, name) for name in CONTACT_COLUMNS], lambda query: query
    return (
        [func.coalesce(history.c[name], 0) for name in CONTACT_COLUMNS],
        lambda query: query.outerjoin(history, history.c.case_id == c.id),
    )


@reaches("cases", "zones", "places")
def get_case_extent(*, session: Session, end: date, district: str | None = None) -> CaseExtent:
    """How many local cases were reported by `end`, from when to when, and where (bounding box)."""
    c = models.Case
    row = session.execute(
        select(
            func.count(),
            func.min(c.report_date),
            func.max(c.report_date),
            func.min(c.lon),
            func.min(c.lat),
            func.max(c.lon),
            func.max(c.lat),
        ).where(*local_case_conditions(end=end, district=district))
    ).one()
    cases, first, last, *box = row
    return CaseExtent(int(cases), first, last, *(None if v is None else float(v) for v in box))


def zone_active_at(moment: datetime, z: Any = models.ControlZone):  # noqa: ANN201
    """SQL condition: the zone was imposed by `moment` and not yet lifted."""
    return and_(z.imposed_at <= moment, or_(z.lifted_at.is_(None), z.lifted_at > moment))


@reaches("cases", "zones", "places")
def count_active_zones(
    *, session: Session, at: datetime, district: str | None = None
) -> dict[str, int]:
    """Zones in force at a moment, by level (every level present, zero when none), with
    their levels as set then."""
    z = settings_at(session, models.ControlZone, at)
    conditions = [zone_active_at(at, z)]
    if district:
        conditions.append(z.district_code == district)
    rows = session.execute(select(z.level, func.count()).where(*conditions).group_by(z.level)).all()
    counts = dict.fromkeys(ZONE_LEVELS, 0)
    counts.update({level: int(count) for level, count in rows})
    return counts


ZONE_COLUMNS = [
    "code",
    "level",
    "name_zh",
    "name_en",
    "district_code",
    "district_zh",
    "district_en",
    "population",
    "imposed_at",
    "lifted_at",
    "active",
    "polygon_geojson",
    "center_lon",
    "center_lat",
    "radius_m",
]


@reaches("cases", "zones", "places")
def list_zones(
    *,
    session: Session,
    at: datetime,
    district: str | None = None,
    include_lifted: bool = False,
) -> pd.DataFrame:
    """Control zones imposed by `at` (only those in force unless `include_lifted`), strictest first.

    A lift after `at` is not known yet at `at`: `lifted_at` is empty for it, so a replayed day
    never shows the future; nor does an edit after `at` of its level, names, size or lift.
    """
    z, d = settings_at(session, models.ControlZone, at), models.District
    lifted_by_then = and_(z.lifted_at.is_not(None), z.lifted_at <= at)
    conditions = [z.imposed_at <= at] if include_lifted else [zone_active_at(at, z)]
    if district:
        conditions.append(z.district_code == district)
    query = (
        select(
            z.code,
            z.level,
            z.name_zh,
            z.name_en,
            z.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            z.population,
            z.imposed_at,
            case((lifted_by_then, z.lifted_at), else_=None).label("lifted_at"),
            case((lifted_by_then, False), else_=True).label("active"),
            z.polygon_geojson,
            z.center_lon,
            z.center_lat,
            z.radius_m,
        )
        .join(d, d.code == z.district_code)
        .where(*conditions)
        .order_by(
            case(*((z.level == level, rank) for rank, level in enumerate(ZONE_LEVELS))),
            z.imposed_at,
            z.code,
        )
    )
    frame = pd.DataFrame(session.execute(query).mappings().all(), columns=ZONE_COLUMNS)
    return frame.astype({"active": bool})


DISTRICT_COLUMNS = [
    "district_code",
    "name_zh",
    "name_en",
    "new_today",
    "last_7_days",
    "total",
    "confirmed",
    "asymptomatic",
    "in_hospital",
    "severe",
    "close_identified",
    "close_controlled",
    "secondary_identified",
    "secondary_controlled",
]


def count_local_cases_by_district(
    *,
    session: Session,
    today: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    at: datetime | None = None,
) -> pd.DataFrame:
    """Per district, of the local infections reported in the period (from `start` up to
    today): new today, in the last 7 days, in total, in hospital and severe at the end of
    today, and their contacts identified / under control (as reported by `at`, a moment of
    `today`; None: the current counts). Every column counts the same cases, so that no
    figure mixes periods.

    Every district is listed (zeros when it has no case) unless `district` picks one.
    Severity and status are as set by `at` (an edit after it is not known yet).
    """
    c, d = settings_at(session, models.Case, at), models.District
    week_start = today - timedelta(days=6)
    in_range = c.report_date >= start if start is not None else true()
    hospital = and_(in_range, in_hospital_on(today, c))
    contacts, joined = _contact_counts(session, at, c)

    def total(column: ColumnElement) -> ColumnElement:
        return func.coalesce(func.sum(column).filter(in_range), 0)

    query = (
        select(
            d.code.label("district_code"),
            d.name_zh,
            d.name_en,
            func.count(c.id).filter(c.report_date == today).label("new_today"),
            func.count(c.id).filter(in_range, c.report_date >= week_start).label("last_7_days"),
            func.count(c.id).filter(in_range).label("total"),
            func.count(c.id).filter(in_range, c.kind == "confirmed").label("confirmed"),
            func.count(c.id).filter(in_range, c.kind == "asymptomatic").label("asymptomatic"),
            func.count(c.id).filter(hospital).label("in_hospital"),
            func.count(c.id).filter(hospital, c.severity.in_(SEVERE)).label("severe"),
            total(contacts[0]).label("close_identified"),
            total(contacts[1]).label("close_controlled"),
            total(contacts[2]).label("secondary_identified"),
            total(contacts[3]).label("secondary_controlled"),
        )
        .select_from(d)
        .outerjoin(
            c,
            and_(c.district_code == d.code, *local_case_conditions(end=today, kinds=kinds, c=c)),
        )
    )
    query = joined(query).group_by(d.code, d.name_zh, d.name_en).order_by(d.code)
    if district:
        query = query.where(d.code == district)
    frame = pd.DataFrame(session.execute(query).mappings().all(), columns=DISTRICT_COLUMNS)
    counts = DISTRICT_COLUMNS[3:]
    return frame.astype(dict.fromkeys(counts, "int64"))


def count_local_cases_per_day(
    *,
    session: Session,
    start: date | None = None,
    end: date,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    by_district: bool = False,
) -> pd.DataFrame:
    """New local infections per report date and kind (only days that have cases).

    With `by_district`, also per district (columns district_code, district_zh, district_en).
    """
    c, d = models.Case, models.District
    keys = [c.report_date.label("report_date"), c.kind.label("kind")]
    if by_district:
        keys += [
            c.district_code.label("district_code"),
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
        ]
    query = select(*keys, func.count().label("cases")).where(
        *local_case_conditions(end=end, start=start, district=district, kinds=kinds)
    )
    if by_district:
        query = query.join(d, d.code == c.district_code)
    query = query.group_by(*keys).order_by(
        c.report_date, *keys[2:3], case((c.kind == "confirmed", 0), else_=1)
    )
    columns = [key.name for key in keys] + ["cases"]
    return pd.DataFrame(session.execute(query).mappings().all(), columns=columns)


@dataclass(frozen=True)
class EpidemicCurve:
    """New local infections per day and kind, and their 7-day average (per district if split).

    `counts`: report_date, kind, cases (only days with cases); `average`: report_date,
    average, for every day of the period. Both carry district_code, district_zh, district_en
    when split by district.
    """

    counts: pd.DataFrame
    average: pd.DataFrame


@reaches("cases", "zones", "places")
def get_epidemic_curve(
    *,
    session: Session,
    start: date,
    end: date,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    by_district: bool = False,
) -> EpidemicCurve:
    """The epidemic curve from `start` to `end`, with a trailing 7-day average of all kinds.

    The six days before `start` are read too, so that the average of the first day shown
    covers a full week.
    """
    lead_start = start - timedelta(days=SEVEN_DAYS - 1)
    per_day = count_local_cases_per_day(
        session=session,
        start=lead_start,
        end=end,
        district=district,
        kinds=kinds,
        by_district=by_district,
    )
    shown = per_day[per_day["report_date"] >= start].reset_index(drop=True)
    group_columns = ["district_code", "district_zh", "district_en"] if by_district else []
    averages = []
    # Districts with a case in the period each get a line; one line for the whole city else.
    groups = shown[group_columns].drop_duplicates().itertuples(index=False) if by_district else [()]
    for group in groups:
        rows = per_day
        for column, value in zip(group_columns, group, strict=True):
            rows = rows[rows[column] == value]
        totals = rows.groupby("report_date")["cases"].sum().to_dict()
        series = daily_series(totals, lead_start, end)
        for (day, _), value in zip(series, trailing_average([n for _, n in series]), strict=True):
            if day >= start:
                averages.append(
                    {
                        **dict(zip(group_columns, group, strict=True)),
                        "report_date": day,
                        "average": value,
                    }
                )
    average = pd.DataFrame(averages, columns=[*group_columns, "report_date", "average"])
    return EpidemicCurve(counts=shown, average=average[["report_date", "average", *group_columns]])


CASE_POINT_COLUMNS = [
    "case_no",
    "kind",
    "report_date",
    "status",
    "severity",
    "district_code",
    "district_zh",
    "district_en",
    "community_zh",
    "community_en",
    "lon",
    "lat",
]


@reaches("cases", "zones", "places")
def list_case_points(
    *,
    session: Session,
    end: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    limit: int = 2000,
    at: datetime | None = None,
) -> pd.DataFrame:
    """The newest `limit` local cases matching the filters, with community-level positions.

    `status` is as of `end`: a case discharged after `end` shows as admitted; severity and
    status are as set by `at` (None: as they are now).
    """
    c, d = settings_at(session, models.Case, at), models.District
    status = status_on(end, c)
    query = (
        select(
            c.case_no,
            c.kind,
            c.report_date,
            status.label("status"),
            c.severity,
            c.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            c.community_zh,
            c.community_en,
            c.lon,
            c.lat,
        )
        .join(d, d.code == c.district_code)
        .where(*local_case_conditions(end=end, start=start, district=district, kinds=kinds, c=c))
        .order_by(c.report_date.desc(), c.id.desc())
        .limit(limit)
    )
    return pd.DataFrame(session.execute(query).mappings().all(), columns=CASE_POINT_COLUMNS)


@dataclass(frozen=True)
class CaseCard:
    """One local case as the map's details card shows it: what it is, where, its status and
    contacts, who infected it and whom it infected (as known on the day shown)."""

    case_no: str
    kind: str
    report_date: date
    status: str
    severity: str
    district_zh: str
    district_en: str
    community_zh: str
    community_en: str
    hospital_zh: str | None
    hospital_en: str | None
    close_identified: int
    close_controlled: int
    secondary_identified: int
    secondary_controlled: int
    infector_case_no: str | None
    infected_case_nos: tuple[str, ...]


@reaches("cases", "zones", "places")
def get_case_card(
    *, session: Session, case_no: str, end: date, at: datetime | None = None
) -> CaseCard | None:
    """The local case `case_no` as on the map of day `end` (None: no such case reported by
    then): status as of `end`, severity, hospital, links and contacts as set or reported by
    `at` (None: as they are now); its infector and the cases it infected, those reported by
    `end`."""
    c, d = settings_at(session, models.Case, at), models.District
    f = settings_at(session, models.Facility, at)
    infector = aliased(c)
    status = status_on(end, c)
    counts, joined = _contact_counts(session, at, c)
    query = (
        select(
            c.id,
            c.case_no,
            c.kind,
            c.report_date,
            status.label("status"),
            c.severity,
            d.name_zh,
            d.name_en,
            c.community_zh,
            c.community_en,
            f.name_zh,
            f.name_en,
            *counts,
            infector.case_no,
        )
        .join(d, d.code == c.district_code)
        .outerjoin(f, f.id == c.hospital_id)
        .outerjoin(infector, and_(infector.id == c.infector_case_id, infector.report_date <= end))
        .where(c.case_no == case_no, *local_case_conditions(end=end, c=c))
    )
    row = session.execute(joined(query)).one_or_none()
    if row is None:
        return None
    case_id, *fields, infector_no = row
    infected = session.execute(
        select(c.case_no)
        .where(c.infector_case_id == case_id, *local_case_conditions(end=end, c=c))
        .order_by(c.report_date, c.id)
    ).scalars()
    counts_at = (int(value) for value in fields[11:15])
    return CaseCard(*fields[:11], *counts_at, infector_no, tuple(infected))


@reaches("cases", "zones", "places")
def count_local_cases_by_place(
    *,
    session: Session,
    end: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Local cases per place (positions rounded to about 100 m): the case-density layer."""
    c = models.Case
    # Labels unlike the table's own columns: PostgreSQL would group by c.lon for "lon".
    lon = cast(func.round(cast(c.lon, Numeric), DENSITY_DECIMALS), Float).label("place_lon")
    lat = cast(func.round(cast(c.lat, Numeric), DENSITY_DECIMALS), Float).label("place_lat")
    query = (
        select(lon, lat, func.count().label("cases"))
        .where(*local_case_conditions(end=end, start=start, district=district, kinds=kinds))
        .group_by(lon, lat)
        .order_by(lon, lat)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=["lon", "lat", "cases"])
    return frame.astype({"lon": "float64", "lat": "float64", "cases": "int64"})


LINK_COLUMNS = [
    "case_no",
    "kind",
    "report_date",
    "lon",
    "lat",
    "infector_case_no",
    "infector_kind",
    "infector_report_date",
    "infector_lon",
    "infector_lat",
]


@reaches("cases", "zones", "places")
def list_transmission_links(
    *,
    session: Session,
    end: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    limit: int = 2000,
    at: datetime | None = None,
) -> pd.DataFrame:
    """Infector → infected links of the newest `limit` matching cases (infector known by `end`),
    as traced by `at` (a link found later is not known yet; None: every link)."""
    c = settings_at(session, models.Case, at)
    infector = aliased(c)
    query = (
        select(
            c.case_no,
            c.kind,
            c.report_date,
            c.lon,
            c.lat,
            infector.case_no.label("infector_case_no"),
            infector.kind.label("infector_kind"),
            infector.report_date.label("infector_report_date"),
            infector.lon.label("infector_lon"),
            infector.lat.label("infector_lat"),
        )
        .join(infector, infector.id == c.infector_case_id)
        .where(
            *local_case_conditions(end=end, start=start, district=district, kinds=kinds, c=c),
            infector.report_date <= end,
        )
        .order_by(c.report_date.desc(), c.id.desc())
        .limit(limit)
    )
    return pd.DataFrame(session.execute(query).mappings().all(), columns=LINK_COLUMNS)


CHAIN_COLUMNS = [
    "index_case_no",
    "index_district_zh",
    "index_district_en",
    "size",
    "generations",
    "first_report_date",
    "last_report_date",
    "districts",
]


@reaches("cases", "zones", "places")
def list_transmission_chains(
    *,
    session: Session,
    end: date,
    start: date | None = None,
    district: str | None = None,
    kinds: tuple[str, ...] | None = None,
    limit: int = 10,
    at: datetime | None = None,
) -> ChainSummary:
    """The largest transmission chains among all local cases reported by `end`.

    Chains are traced over every local case reported by `end` (so the filters never cut a
    chain in two); a chain is listed when at least one of its cases matches the filters.
    Single cases (no known link either way) are counted, not listed. Links are those traced
    by `at` (None: every link).
    """
    c, d = settings_at(session, models.Case, at), models.District
    matches = and_(
        *local_case_conditions(end=end, start=start, district=district, kinds=kinds, c=c)
    )
    query = (
        select(
            c.id,
            c.infector_case_id,
            c.case_no,
            c.report_date,
            c.district_code,
            d.name_zh,
            d.name_en,
            case((matches, True), else_=False).label("matches"),
        )
        .join(d, d.code == c.district_code)
        .where(*local_case_conditions(end=end, c=c))
    )
    rows = {row.id: row for row in session.execute(query).all()}
    infector_of = {case_id: row.infector_case_id for case_id, row in rows.items()}
    listed, linked_chains, linked_cases, single_cases = [], 0, 0, 0
    for chain in transmission_chains(infector_of):
        members = [rows[member] for member in chain.members]
        if not any(member.matches for member in members):
            continue
        if chain.size == 1:
            single_cases += 1
            continue
        linked_chains += 1
        linked_cases += chain.size
        if len(listed) < limit:
            index = rows[chain.root]
            days = [member.report_date for member in members]
            listed.append(
                {
                    "index_case_no": index.case_no,
                    "index_district_zh": index.name_zh,
                    "index_district_en": index.name_en,
                    "size": chain.size,
                    "generations": chain.generations,
                    "first_report_date": min(days),
                    "last_report_date": max(days),
                    "districts": len({member.district_code for member in members}),
                }
            )
    return ChainSummary(
        chains=pd.DataFrame(listed, columns=CHAIN_COLUMNS),
        linked_chains=linked_chains,
        linked_cases=linked_cases,
        single_cases=single_cases,
    )


FACILITY_COLUMNS = [
    "code",
    "kind",
    "name_zh",
    "name_en",
    "district_code",
    "district_zh",
    "district_en",
    "status",
    "capacity",
    "lon",
    "lat",
]


def list_map_facilities(
    *,
    session: Session,
    kinds: tuple[str, ...] = MAP_FACILITY_KINDS,
    district: str | None = None,
    limit: int = 3000,
    at: datetime | None = None,
) -> pd.DataFrame:
    """Designated hospitals, quarantine hotels and testing sites not closed (the first `limit`,
    in that order), for the map; statuses as set by `at` (None: now)."""
    f, d = settings_at(session, models.Facility, at), models.District
    conditions = [f.kind.in_(kinds), f.status != "closed"]
    if district:
        conditions.append(f.district_code == district)
    query = (
        select(
            f.code,
            f.kind,
            f.name_zh,
            f.name_en,
            f.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            f.status,
            f.capacity,
            f.lon,
            f.lat,
        )
        .join(d, d.code == f.district_code)
        .where(*conditions)
        .order_by(
            case(*((f.kind == kind, rank) for rank, kind in enumerate(MAP_FACILITY_KINDS))),
            f.code,
        )
        .limit(limit)
    )
    return pd.DataFrame(session.execute(query).mappings().all(), columns=FACILITY_COLUMNS)


@reaches("cases", "zones", "places")
def list_zones_in_force(*, session: Session, at: datetime) -> pd.DataFrame:
    """Zones in force at `at`, with their ids and versions (to lift one from a form)."""
    z = models.ControlZone
    query = (
        select(z.id, z.code, z.level, z.name_zh, z.name_en, z.district_code, z.version)
        .where(zone_active_at(at))
        .order_by(z.district_code, z.code)
    )
    rows = session.execute(query).all()
    columns = ["id", "code", "level", "name_zh", "name_en", "district_code", "version"]
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


@reaches("cases", "zones", "places")
def list_cases_in_hospital(*, session: Session) -> pd.DataFrame:
    """Cases still admitted, newest first, with what a form changes and their versions."""
    c = models.Case
    columns = ["id", "case_no", "district_code", "community_zh", "community_en"]
    columns += ["severity", "status", "hospital_id", "discharged_date", "version"]
    query = select(*(getattr(c, name) for name in columns)).where(c.status == "admitted")
    rows = session.execute(query.order_by(c.report_date.desc(), c.case_no)).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


@reaches("cases", "zones", "places")
def list_hospitals(*, session: Session) -> pd.DataFrame:
    """Hospitals that take cases (designated first), for a case's hospital."""
    f = models.Facility
    kinds = (DESIGNATED_HOSPITAL, GENERAL_HOSPITAL)
    query = (
        select(f.id, f.name_zh, f.name_en)
        .where(f.kind.in_(kinds))
        .order_by(case((f.kind == DESIGNATED_HOSPITAL, 0), else_=1), f.code)
    )
    rows = session.execute(query).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=["id", "name_zh", "name_en"])
