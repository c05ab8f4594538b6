"""All tables of the command center.

Conventions:
- times (`*_at`, `hour`) are timezone-aware datetimes, stored in UTC; dates (`*_date`,
  `day`) are calendar days in the command's time zone;
- every record a person can edit has a `version`, raised by one on each write, so that a
  stale edit can be refused;
- history tables (`*_report`) are append-only; the dashboard reads the `*_state` and
  `*_daily` / `*_hourly` tables kept beside them, so that "the latest value of many things"
  never scans history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import AutoString, Field, SQLModel

from data.codes import (
    AUDIT_RESULTS,
    CASE_KINDS,
    CASE_SEVERITIES,
    CASE_SOURCES,
    CASE_STATUSES,
    CHANGE_ACTIONS,
    FACILITY_KINDS,
    FACILITY_STATUSES,
    HOTEL_COHORTS,
    ROUND_SCOPES,
    SIGN_IN_KEY_KINDS,
    SUPPLY_CATEGORIES,
    USER_ROLES,
    ZONE_LEVELS,
    sql_list,
)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN ({sql_list(values)})", name=name)


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target), nullable=nullable, index=index)


# --- Reference: districts and facilities -------------------------------------------------


class District(SQLModel, table=True):
    """One of the city's districts (区), with its boundary for the offline basemap."""

    code: str = Field(primary_key=True, max_length=6)
    name_zh: str = Field(max_length=20)
    name_en: str = Field(max_length=40)
    population: int = Field(ge=0)
    centroid_lon: float
    centroid_lat: float
    boundary_geojson: str = Field(sa_column=Column(Text, nullable=False))

    __table_args__ = (CheckConstraint("population >= 0", name="ck_district_population"),)


class Facility(SQLModel, table=True):
    """A hospital, fever clinic, quarantine hotel, testing site or warehouse."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=24, index=True)
    district_code: str = Field(foreign_key="district.code", index=True, max_length=6)
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=120)
    lon: float
    lat: float
    status: str = Field(default="active", max_length=10)
    # Quarantine hotels: the cohort they take in; hospitals: beds; hotels: rooms.
    cohort: str | None = Field(default=None, max_length=20)
    capacity: int | None = Field(default=None)
    # How often this facility is expected to report; older than this means stale.
    report_interval_minutes: int = Field(default=240)
    version: int = Field(default=1)

    __table_args__ = (
        _one_of("kind", FACILITY_KINDS, "ck_facility_kind"),
        _one_of("status", FACILITY_STATUSES, "ck_facility_status"),
        CheckConstraint(
            f"cohort IS NULL OR cohort IN ({sql_list(HOTEL_COHORTS)})",
            name="ck_facility_cohort",
        ),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="ck_facility_capacity"),
        CheckConstraint("report_interval_minutes > 0", name="ck_facility_interval"),
    )


# --- Cases and control zones ---------------------------------------------------------------


class Case(SQLModel, table=True):
    """An infection. No names, ID numbers or exact addresses: community-level location only."""

    id: int | None = Field(default=None, primary_key=True)
    case_no: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=12)
    source: str = Field(default="local", max_length=8)
    severity: str = Field(default="mild", max_length=8)
    status: str = Field(default="admitted", max_length=10)
    report_date: date = Field(index=True)
    district_code: str = Field(foreign_key="district.code", index=True, max_length=6)
    community_zh: str = Field(max_length=60)
    community_en: str = Field(max_length=100)
    lon: float
    lat: float
    hospital_id: int | None = Field(default=None, sa_column=_fk("facility.id", nullable=True))
    infector_case_id: int | None = Field(default=None, sa_column=_fk("case.id", nullable=True))
    close_contacts_identified: int = Field(default=0)
    close_contacts_controlled: int = Field(default=0)
    secondary_contacts_identified: int = Field(default=0)
    secondary_contacts_controlled: int = Field(default=0)
    discharged_date: date | None = Field(default=None)
    version: int = Field(default=1)

    __table_args__ = (
        _one_of("kind", CASE_KINDS, "ck_case_kind"),
        _one_of("source", CASE_SOURCES, "ck_case_source"),
        _one_of("severity", CASE_SEVERITIES, "ck_case_severity"),
        _one_of("status", CASE_STATUSES, "ck_case_status"),
        CheckConstraint(
            "close_contacts_controlled >= 0 AND close_contacts_identified >= "
            "close_contacts_controlled AND secondary_contacts_controlled >= 0 AND "
            "secondary_contacts_identified >= secondary_contacts_controlled",
            name="ck_case_contacts",
        ),
        CheckConstraint(
            "infector_case_id IS NULL OR infector_case_id <> id", name="ck_case_not_self"
        ),
        CheckConstraint(
            "discharged_date IS NULL OR discharged_date >= report_date",
            name="ck_case_discharged_after_report",
        ),
        CheckConstraint(
            "status <> 'discharged' OR discharged_date IS NOT NULL",
            name="ck_case_discharged_has_date",
        ),
        Index("ix_case_district_date", "district_code", "report_date"),
    )


class CaseContactReport(SQLModel, table=True):
    """A case's contact tracing as reported at a moment: close and secondary contacts
    identified and placed under control (history; the case keeps the latest as its current
    values). A case's first report is at the start of its report day."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=_fk("case.id", index=False))
    reported_at: datetime = Field(index=True)
    close_contacts_identified: int = Field(default=0)
    close_contacts_controlled: int = Field(default=0)
    secondary_contacts_identified: int = Field(default=0)
    secondary_contacts_controlled: int = Field(default=0)

    __table_args__ = (
        CheckConstraint(
            "close_contacts_controlled >= 0 AND close_contacts_identified >= "
            "close_contacts_controlled AND secondary_contacts_controlled >= 0 AND "
            "secondary_contacts_identified >= secondary_contacts_controlled",
            name="ck_contact_report_counts",
        ),
        Index("ix_contact_report_case_time", "case_id", "reported_at"),
    )


class ControlZone(SQLModel, table=True):
    """A sealed / controlled / prevention area, as a polygon or as a centre and radius."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, unique=True)
    level: str = Field(max_length=10)
    district_code: str = Field(foreign_key="district.code", index=True, max_length=6)
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=120)
    polygon_geojson: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    center_lon: float
    center_lat: float
    radius_m: float | None = Field(default=None)
    population: int = Field(default=0)
    imposed_at: datetime = Field(index=True)
    lifted_at: datetime | None = Field(default=None, index=True)
    version: int = Field(default=1)

    __table_args__ = (
        _one_of("level", ZONE_LEVELS, "ck_zone_level"),
        CheckConstraint("population >= 0", name="ck_zone_population"),
        CheckConstraint(
            "polygon_geojson IS NOT NULL OR (radius_m IS NOT NULL AND radius_m > 0)",
            name="ck_zone_has_shape",
        ),
        CheckConstraint("lifted_at IS NULL OR lifted_at >= imposed_at", name="ck_zone_lifted"),
    )


# --- Mass testing ----------------------------------------------------------------------------


class TestingRound(SQLModel, table=True):
    """A round of mass testing in one district, with its target and deadline."""

    __test__ = False  # not a pytest test class

    id: int | None = Field(default=None, primary_key=True)
    district_code: str = Field(foreign_key="district.code", index=True, max_length=6)
    round_no: int
    scope: str = Field(default="whole", max_length=8)
    target_population: int
    start_at: datetime
    deadline_at: datetime
    version: int = Field(default=1)

    __table_args__ = (
        UniqueConstraint("district_code", "round_no", name="uq_round_district_no"),
        _one_of("scope", ROUND_SCOPES, "ck_round_scope"),
        CheckConstraint("round_no >= 1", name="ck_round_no"),
        CheckConstraint("target_population > 0", name="ck_round_target"),
        CheckConstraint("deadline_at > start_at", name="ck_round_deadline"),
    )


class TestingSiteReport(SQLModel, table=True):
    """What one testing site reported for the period since its previous report."""

    __test__ = False

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    )
    site_id: int = Field(sa_column=_fk("facility.id", index=False))
    round_id: int | None = Field(default=None, sa_column=_fk("testinground.id", nullable=True))
    reported_at: datetime
    is_open: bool = Field(default=True)
    sampled: int = Field(default=0)
    resulted: int = Field(default=0)
    positive: int = Field(default=0)
    pools_positive: int = Field(default=0)
    queue_wait_minutes: int = Field(default=0)

    __table_args__ = (
        CheckConstraint(
            "sampled >= 0 AND resulted >= 0 AND positive >= 0 AND pools_positive >= 0 "
            "AND queue_wait_minutes >= 0",
            name="ck_site_report_counts",
        ),
        Index("ix_site_report_site_time", "site_id", "reported_at"),
        # Point-in-time reads: a round's reports in the hour of a moment (data.queries.asof).
        Index("ix_site_report_round_time", "round_id", "reported_at"),
    )


class TestingSiteState(SQLModel, table=True):
    """Current state of a testing site: its latest report and today's totals."""

    __test__ = False

    site_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), primary_key=True))
    round_id: int | None = Field(default=None, sa_column=_fk("testinground.id", nullable=True))
    last_reported_at: datetime
    is_open: bool
    queue_wait_minutes: int
    day: date
    sampled_day: int = Field(default=0)
    resulted_day: int = Field(default=0)


class TestingHourly(SQLModel, table=True):
    """Testing totals per round, district and hour: progress, throughput and backlog curves."""

    __test__ = False

    round_id: int = Field(
        sa_column=Column(Integer, ForeignKey("testinground.id"), primary_key=True)
    )
    hour: datetime = Field(primary_key=True)
    district_code: str = Field(foreign_key="district.code", max_length=6, index=True)
    sampled: int = Field(default=0)
    resulted: int = Field(default=0)
    positive: int = Field(default=0)
    pools_positive: int = Field(default=0)


# --- Quarantine hotels -----------------------------------------------------------------------


class HotelReport(SQLModel, table=True):
    """A quarantine hotel's status report; intake and discharges count since its previous one."""

    id: int | None = Field(default=None, primary_key=True)
    hotel_id: int = Field(sa_column=_fk("facility.id", index=False))
    reported_at: datetime
    rooms_total: int
    rooms_occupied: int
    rooms_cleaning: int
    occupied_inbound: int = Field(default=0)
    occupied_close_contact: int = Field(default=0)
    occupied_secondary_contact: int = Field(default=0)
    intake: int = Field(default=0)
    discharges: int = Field(default=0)
    staff_on_duty: int = Field(default=0)

    __table_args__ = (
        CheckConstraint(
            "rooms_total >= 0 AND rooms_occupied >= 0 AND rooms_cleaning >= 0 AND "
            "occupied_inbound >= 0 AND occupied_close_contact >= 0 AND "
            "occupied_secondary_contact >= 0 AND intake >= 0 AND discharges >= 0 AND "
            "staff_on_duty >= 0",
            name="ck_hotel_report_counts",
        ),
        CheckConstraint(
            "rooms_occupied + rooms_cleaning <= rooms_total", name="ck_hotel_report_rooms"
        ),
        Index("ix_hotel_report_hotel_time", "hotel_id", "reported_at"),
        # Point-in-time reads: the reports of a moment's day up to it.
        Index("ix_hotel_report_time", "reported_at"),
    )


class HotelState(SQLModel, table=True):
    """A hotel's latest report, with today's intake and discharges."""

    hotel_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), primary_key=True))
    last_reported_at: datetime
    rooms_total: int
    rooms_occupied: int
    rooms_cleaning: int
    occupied_inbound: int
    occupied_close_contact: int
    occupied_secondary_contact: int
    staff_on_duty: int
    day: date
    intake_day: int = Field(default=0)
    discharges_day: int = Field(default=0)


class HotelDaily(SQLModel, table=True):
    """Per hotel and day: intake, discharges and the day's last occupancy (trend charts)."""

    hotel_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), primary_key=True))
    day: date = Field(primary_key=True, index=True)
    rooms_total: int
    rooms_occupied: int
    rooms_cleaning: int
    occupied_inbound: int
    occupied_close_contact: int
    occupied_secondary_contact: int
    intake: int = Field(default=0)
    discharges: int = Field(default=0)
    # Time of the report the day's snapshot comes from: a late report never overwrites it.
    last_reported_at: datetime | None = Field(default=None)


# --- Infection-control audits ------------------------------------------------------------


class ChecklistVersion(SQLModel, table=True):
    """A version of the infection-control checklist."""

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=20, unique=True)
    effective_from: date


class ChecklistItem(SQLModel, table=True):
    """One item of a checklist version, grouped by component, with a weight."""

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(sa_column=_fk("checklistversion.id"))
    component: str = Field(max_length=30)
    code: str = Field(max_length=20)
    text_zh: str = Field(max_length=200)
    text_en: str = Field(max_length=300)
    weight: float = Field(default=1.0)
    position: int = Field(default=0)

    __table_args__ = (
        UniqueConstraint("version_id", "code", name="uq_checklist_item_code"),
        CheckConstraint("weight > 0", name="ck_checklist_item_weight"),
    )


class Audit(SQLModel, table=True):
    """An infection-control audit of one facility against one checklist version."""

    id: int | None = Field(default=None, primary_key=True)
    facility_id: int = Field(sa_column=_fk("facility.id", index=False))
    checklist_version_id: int = Field(sa_column=_fk("checklistversion.id", index=False))
    audited_at: datetime
    auditor: str = Field(max_length=60)
    # The IPCAF score (0-800, data.measures.audits). An audit in which no core item applied
    # has level "not_scored" and a stored score of 0, which reads show as no score.
    score: float
    level: str = Field(max_length=14)
    # The COVID-response items' own score (0-100); None when none of them applied.
    covid_score: float | None = Field(default=None)
    version: int = Field(default=1)

    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 800", name="ck_audit_score"),
        Index("ix_audit_facility_time", "facility_id", "audited_at"),
    )


class AuditItemResult(SQLModel, table=True):
    """The result of one checklist item in one audit."""

    audit_id: int = Field(sa_column=Column(Integer, ForeignKey("audit.id"), primary_key=True))
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("checklistitem.id"), primary_key=True)
    )
    result: str = Field(max_length=8)
    note: str | None = Field(default=None, max_length=300)

    __table_args__ = (_one_of("result", AUDIT_RESULTS, "ck_audit_item_result"),)


class AuditFinding(SQLModel, table=True):
    """A finding of an audit and the corrective action that fixes it."""

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(sa_column=_fk("audit.id"))
    facility_id: int = Field(sa_column=_fk("facility.id"))
    item_id: int | None = Field(default=None, sa_column=_fk("checklistitem.id", nullable=True))
    finding_zh: str = Field(max_length=300)
    finding_en: str = Field(max_length=400)
    action_zh: str = Field(max_length=300)
    action_en: str = Field(max_length=400)
    owner: str = Field(max_length=60)
    due_date: date = Field(index=True)
    closed_date: date | None = Field(default=None, index=True)
    version: int = Field(default=1)


class FacilityAuditState(SQLModel, table=True):
    """Each facility's latest audit (so the audit page never scans audit history)."""

    facility_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), primary_key=True))
    audit_id: int = Field(sa_column=_fk("audit.id", index=False))
    audited_at: datetime
    score: float
    level: str = Field(max_length=14)
    covid_score: float | None = Field(default=None)


# --- Supplies ----------------------------------------------------------------------------------


class SupplyItem(SQLModel, table=True):
    """A supply item: PPE, test kits, reagents, disinfectant, living supplies."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    category: str = Field(max_length=14)
    name_zh: str = Field(max_length=60)
    name_en: str = Field(max_length=100)
    unit_zh: str = Field(max_length=10)
    unit_en: str = Field(max_length=20)
    version: int = Field(default=1)

    __table_args__ = (_one_of("category", SUPPLY_CATEGORIES, "ck_supply_category"),)


class StockReport(SQLModel, table=True):
    """A stock count of one item at one location; consumed and received since the last count."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=_fk("supplyitem.id", index=False))
    location_id: int = Field(sa_column=_fk("facility.id", index=False))
    reported_at: datetime
    on_hand: int
    consumed: int = Field(default=0)
    received: int = Field(default=0)
    on_order: int = Field(default=0)

    __table_args__ = (
        CheckConstraint(
            "on_hand >= 0 AND consumed >= 0 AND received >= 0 AND on_order >= 0",
            name="ck_stock_report_counts",
        ),
        Index("ix_stock_report_line_time", "location_id", "item_id", "reported_at"),
        # Point-in-time reads: the counts of a moment's day up to it.
        Index("ix_stock_report_time", "reported_at"),
    )


class StockState(SQLModel, table=True):
    """Current stock of one item at one location, with its reorder level."""

    item_id: int = Field(sa_column=Column(Integer, ForeignKey("supplyitem.id"), primary_key=True))
    location_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), primary_key=True))
    last_reported_at: datetime
    on_hand: int
    on_order: int = Field(default=0)
    reorder_level: int = Field(default=0)
    # Raised by each edit of the reorder level (a setting of the line, not derived).
    version: int = Field(
        default=1, sa_column=Column(Integer, nullable=False, server_default=text("1"))
    )


class StockDaily(SQLModel, table=True):
    """Per stock line and day: consumed, received and the day's last count (burn rate)."""

    item_id: int = Field(sa_column=Column(Integer, ForeignKey("supplyitem.id"), primary_key=True))
    location_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), primary_key=True))
    day: date = Field(primary_key=True, index=True)
    on_hand: int
    consumed: int = Field(default=0)
    received: int = Field(default=0)
    # Time of the count the day's on-hand comes from: a late count never overwrites it.
    last_reported_at: datetime | None = Field(default=None)


# --- Settings edited in place: the values each edit replaced -----------------------------
#
# A record's settings (a case's severity, a facility's status, a round's deadline, ...) are
# edited in place. Each edit, whether by a form or by an import replacing stored records,
# first keeps the values it replaces in the record's revision table, with the moment they
# stopped being current (`replaced_at`). A setting as of a moment T is then the record's
# current value rewound by the edits after T: the values kept by its first edit after T, or
# its own when it has none (data.queries.asof.settings_at). Creating a record keeps nothing,
# so bulk imports and the demo seed write no second copy.


class CaseRevision(SQLModel, table=True):
    """A case's settings before an edit (contact counts have their own history)."""

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(sa_column=_fk("case.id", index=False))
    replaced_at: datetime = Field(index=True)
    severity: str = Field(max_length=8)
    status: str = Field(max_length=10)
    hospital_id: int | None = Field(default=None)
    discharged_date: date | None = Field(default=None)
    # Who infected the case, as known before the edit (links are often traced days later).
    infector_case_id: int | None = Field(default=None)

    __table_args__ = (Index("ix_caserevision_record_time", "record_id", "replaced_at"),)


class ControlZoneRevision(SQLModel, table=True):
    """A control zone's settings before an edit (a lift, a change of level or size)."""

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(sa_column=_fk("controlzone.id", index=False))
    replaced_at: datetime = Field(index=True)
    level: str = Field(max_length=10)
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=120)
    population: int
    radius_m: float | None = Field(default=None)
    lifted_at: datetime | None = Field(default=None)

    __table_args__ = (Index("ix_controlzonerevision_record_time", "record_id", "replaced_at"),)


class FacilityRevision(SQLModel, table=True):
    """A facility's settings before an edit (its status: active, standby, closed; ...)."""

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(sa_column=_fk("facility.id", index=False))
    replaced_at: datetime = Field(index=True)
    status: str = Field(max_length=10)
    name_zh: str = Field(max_length=80)
    name_en: str = Field(max_length=120)
    capacity: int | None = Field(default=None)
    report_interval_minutes: int

    __table_args__ = (Index("ix_facilityrevision_record_time", "record_id", "replaced_at"),)


class TestingRoundRevision(SQLModel, table=True):
    """A testing round's target, start, deadline and scope before an edit."""

    __test__ = False

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(sa_column=_fk("testinground.id", index=False))
    replaced_at: datetime = Field(index=True)
    scope: str = Field(max_length=8)
    target_population: int
    start_at: datetime
    deadline_at: datetime

    __table_args__ = (Index("ix_testingroundrevision_record_time", "record_id", "replaced_at"),)


class StockStateRevision(SQLModel, table=True):
    """A stock line's reorder level before an edit."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("supplyitem.id"), nullable=False))
    location_id: int = Field(sa_column=Column(Integer, ForeignKey("facility.id"), nullable=False))
    replaced_at: datetime = Field(index=True)
    reorder_level: int

    __table_args__ = (
        Index("ix_stockstaterevision_line_time", "location_id", "item_id", "replaced_at"),
    )


class AuditFindingRevision(SQLModel, table=True):
    """A corrective action before an edit (closed, reopened, its owner or due date changed)."""

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(sa_column=_fk("auditfinding.id", index=False))
    replaced_at: datetime = Field(index=True)
    action_zh: str = Field(max_length=300)
    action_en: str = Field(max_length=400)
    owner: str = Field(max_length=60)
    due_date: date
    closed_date: date | None = Field(default=None)

    __table_args__ = (Index("ix_auditfindingrevision_record_time", "record_id", "replaced_at"),)


class AuditRevision(SQLModel, table=True):
    """An audit before a correction: its time, auditor and the scores its results gave."""

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(sa_column=_fk("audit.id", index=False))
    replaced_at: datetime = Field(index=True)
    audited_at: datetime
    auditor: str = Field(max_length=60)
    score: float
    level: str = Field(max_length=14)
    covid_score: float | None = Field(default=None)

    __table_args__ = (Index("ix_auditrevision_record_time", "record_id", "replaced_at"),)


class AuditItemResultRevision(SQLModel, table=True):
    """A checklist item's result in an audit before a correction."""

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(sa_column=Column(Integer, ForeignKey("audit.id"), nullable=False))
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("checklistitem.id"), nullable=False))
    replaced_at: datetime = Field(index=True)
    result: str = Field(max_length=8)
    note: str | None = Field(default=None, max_length=300)

    __table_args__ = (
        Index("ix_audititemresultrevision_item_time", "audit_id", "item_id", "replaced_at"),
    )


# Each table whose settings are edited in place, with its revision table and the settings
# it keeps (the names of columns in both).
REVISIONS: dict[type[SQLModel], tuple[type[SQLModel], tuple[str, ...]]] = {
    Case: (
        CaseRevision,
        ("severity", "status", "hospital_id", "discharged_date", "infector_case_id"),
    ),
    ControlZone: (
        ControlZoneRevision,
        ("level", "name_zh", "name_en", "population", "radius_m", "lifted_at"),
    ),
    Facility: (
        FacilityRevision,
        ("status", "name_zh", "name_en", "capacity", "report_interval_minutes"),
    ),
    TestingRound: (
        TestingRoundRevision,
        ("scope", "target_population", "start_at", "deadline_at"),
    ),
    StockState: (StockStateRevision, ("reorder_level",)),
    AuditFinding: (
        AuditFindingRevision,
        ("action_zh", "action_en", "owner", "due_date", "closed_date"),
    ),
    Audit: (AuditRevision, ("audited_at", "auditor", "score", "level", "covid_score")),
    AuditItemResult: (AuditItemResultRevision, ("result", "note")),
}


def revision_keys(model: type[SQLModel]) -> tuple[tuple[str, str], ...]:
    """(column of the revision table, primary-key column of the record) pairs."""
    keys = tuple(column.key for column in model.__mapper__.primary_key)
    return (("record_id", keys[0]),) if keys == ("id",) else tuple((key, key) for key in keys)


# --- Users, sign-ins, change log, change counter -------------------------------------------


class User(SQLModel, table=True):
    """A person who signs in: leadership, duty officer, auditor or admin (data.accounts)."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=40, unique=True)
    display_name: str = Field(max_length=60)
    role: str = Field(max_length=14)
    # Districts a duty officer may write in, as comma-separated codes; empty = none.
    district_codes: str = Field(default="", max_length=200)
    # Facilities a duty officer may write for, as comma-separated facility codes (codes, not
    # ids, so that a scope outlives the demo data being replaced); empty = none.
    facility_codes: str = Field(
        default="",
        sa_column=Column(AutoString(400), nullable=False, server_default=text("''")),
    )
    # An argon2 hash (data.security); never written to the change log.
    password_hash: str | None = Field(default=None, max_length=200)
    is_active: bool = Field(default=True)
    created_at: datetime
    version: int = Field(default=1)

    __table_args__ = (_one_of("role", USER_ROLES, "ck_user_role"),)


class AuthSession(SQLModel, table=True):
    """A sign-in: the browser holds a random token, the database only its SHA-256.

    Signing out or disabling the user revokes it; it ends by itself at `expires_at`.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(sa_column=_fk("user.id"))
    created_at: datetime
    expires_at: datetime = Field(index=True)
    revoked_at: datetime | None = Field(default=None)
    # When the session was last used (refreshed at most every few minutes).
    last_seen_at: datetime


class ScreenToken(SQLModel, table=True):
    """A read-only sign-in for a wall screen: a named token an admin issues and revokes."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime
    created_by: str = Field(max_length=60)
    revoked_at: datetime | None = Field(default=None)
    last_seen_at: datetime | None = Field(default=None)


class SignInFailure(SQLModel, table=True):
    """Failed sign-ins of one account (user name as typed) or one client (its address).

    Shared by every app server: after a few failures in a row the key waits (data.security).
    """

    kind: str = Field(primary_key=True, max_length=8)
    key: str = Field(primary_key=True, max_length=100)
    failures: int = Field(default=0)
    last_failed_at: datetime = Field(index=True)
    blocked_until: datetime | None = Field(default=None)

    __table_args__ = (
        _one_of("kind", SIGN_IN_KEY_KINDS, "ck_signinfailure_kind"),
        CheckConstraint("failures >= 0", name="ck_signinfailure_failures"),
    )


class AlertAcknowledgement(SQLModel, table=True):
    """A signed-in user has seen a critical alert (by its stable key, data.alerts): wall
    screens stop interrupting their rotation for it until `expires_at` (a duty shift)."""

    id: int | None = Field(default=None, primary_key=True)
    alert_key: str = Field(max_length=80)
    kind: str = Field(max_length=20)
    acknowledged_at: datetime
    expires_at: datetime
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", nullable=True))
    actor: str = Field(max_length=60)

    __table_args__ = (
        Index("ix_alertack_key_expires", "alert_key", "expires_at"),
        CheckConstraint("expires_at > acknowledged_at", name="ck_alertack_lasts"),
    )


# The `effective_at` of a change that alters no figure at any moment (accounts, sign-ins,
# wall-screen tokens, acknowledgements, issued briefings): the earliest moment it can alter
# is never, so figures kept for past moments stand (data.kept), and so do the figures of
# now (data.queries.reach).
ALTERS_NO_FIGURES = datetime(9999, 12, 31, tzinfo=UTC)


class ChangeLog(SQLModel, table=True):
    """Who changed what, when, with the record before and after (as JSON)."""

    id: int | None = Field(default=None, primary_key=True)
    changed_at: datetime = Field(index=True)
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", nullable=True))
    actor: str = Field(max_length=60)
    table_name: str = Field(max_length=40)
    record_key: str = Field(max_length=60)
    action: str = Field(max_length=8)
    before_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    counter: int = Field(sa_column=Column(BigInteger, nullable=False))
    # A record replaced by a batch (an import) points at the batch's own row, which opens
    # to it; None for everything else.
    batch_id: int | None = Field(default=None, index=True)
    # The districts the change is in (comma-separated codes), for filtering the log; None
    # when the record has none (accounts, settings) (rows logged before 0005 got theirs in 0006).
    districts: str | None = Field(default=None, max_length=80)
    # The earliest moment whose figures the change can alter: a report's own time (what is
    # known at a moment is what was reported up to it), the earliest of a batch's. None when
    # it may alter any moment (cases, settings, accounts: whatever is not read by report
    # time), and for rows logged before 0012. Figures of a past moment are kept across
    # changes dated after it (data.queries.common.changed_through).
    effective_at: datetime | None = Field(default=None)

    __table_args__ = (
        _one_of("action", CHANGE_ACTIONS, "ck_change_action"),
        Index("ix_changelog_table_key", "table_name", "record_key"),
        Index("ix_changelog_counter", "counter"),
    )


class ChangeCounter(SQLModel, table=True):
    """A single row whose value every write raises: live screens compare it to re-read."""

    id: int = Field(default=1, primary_key=True)
    value: int = Field(sa_column=Column(BigInteger, nullable=False, default=0))
    changed_at: datetime

    __table_args__ = (CheckConstraint("id = 1", name="ck_change_counter_single_row"),)


class KeptFigures(SQLModel, table=True):
    """Figures of a past moment as worked out once (data.kept): the Overview's days that are
    over, a briefing's draft at its cut-off. Any server reads them instead of working them
    out again while no change since is dated at or before that moment. Not operational
    data: writing one moves no change counter and logs nothing."""

    # The read, its arguments and the data layer's code, hashed (data.kept.kept_key).
    key: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=120)
    moment: datetime
    # The change counter they were worked out at, and the one up to which every change since
    # is known to be dated after the moment.
    basis: int = Field(sa_column=Column(BigInteger, nullable=False))
    checked: int = Field(sa_column=Column(BigInteger, nullable=False))
    value_json: str = Field(sa_column=Column(Text, nullable=False))
    made_at: datetime


class DatasetInfo(SQLModel, table=True):
    """Facts about the data set as a whole, e.g. that it is the simulated demo scenario."""

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime


# --- Issued daily briefings ------------------------------------------------------------------


class IssuedBriefing(SQLModel, table=True):
    """A daily briefing as issued: its figures and its text in both languages, frozen, so that
    it reads the same after late reports change the figures of its day (data.briefing)."""

    id: int | None = Field(default=None, primary_key=True)
    # One issued briefing per cut-off: issuing freezes it, it is never replaced.
    cutoff_at: datetime = Field(unique=True)
    report_day: date
    figures_json: str = Field(sa_column=Column(Text, nullable=False))
    text_zh: str = Field(sa_column=Column(Text, nullable=False))
    text_en: str = Field(sa_column=Column(Text, nullable=False))
    issued_at: datetime = Field(index=True)
    issued_by: str = Field(max_length=60)
    user_id: int | None = Field(default=None, sa_column=_fk("user.id", nullable=True))
