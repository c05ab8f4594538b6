"""Infection-control audits: latest score per facility, compliance grid, actions, trend, detail."""

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from components.audits_charts import compliance_grid, score_trend
from components.audits_tables import (
    audit_items_view,
    facility_config,
    facility_counts,
    facility_page,
    findings_table,
    findings_view,
    kind_label,
    level_label,
    score_text,
)
from components.charts import cached_chart
from components.export import excel_csv, later
from components.format import fmt_int, person
from components.format import plain as markdown_text
from components.forms import FormField
from components.kpi import Kpi, render_kpis
from components.paging import first_found, render_pages, search_to_pick
from components.widgets import select_all_shown
from data.codes import AUDIT_RESULTS, AUDITABLE_KINDS
from data.measures.audits import ACTION_STATUSES
from data.measures.status import status_of
from data.queries.audits import (
    get_action_totals,
    get_checklist_in_force,
    get_finding,
    list_audit_items,
    list_component_compliance,
    list_facility_audit_status,
    list_facility_audits,
    list_findings,
)
from data.queries.common import list_districts
from data.reference.checklist import COMPONENTS
from data.settings import get_settings
from data.timeutil import format_local, to_utc
from data.writes import close_action, record_audit
from i18n import current_language, t
from panels import Panel, label, render_panel
from shell import (
    Source,
    current_user,
    derive,
    filter_from_address,
    filter_to_address,
    keep_choice,
    local_now,
    read,
    start_page,
)

# The heat grid shows at most this many facilities (the lowest-scoring): beyond that a grid
# is too tall to read, and the filters narrow it down.
GRID_MAX_FACILITIES = 50


def audited_found(facilities: pd.DataFrame, *, text: str, n: int) -> tuple[pd.DataFrame, int]:
    """The first `n` audited facilities whose name or district holds `text`, and how many."""
    audited = facilities[facilities["audit_id"].notna()]
    return first_found(audited, text=text, names=("name", "district"), n=n)


def grid_of(
    compliance: pd.DataFrame, facilities: pd.DataFrame, *, ids: tuple[int, ...]
) -> alt.LayerChart:
    """The compliance grid of the facilities `ids` (in the list's order)."""
    return compliance_grid(compliance, facilities[facilities["facility_id"].isin(ids)])


def facilities_to_pick(facilities: Source, audited: int) -> pd.DataFrame:
    """The audited facilities the history's picker lists, weakest first, with a search by
    name or district beyond a page's worth (a province audits ~5,000)."""
    return search_to_pick(
        lambda text, n: facilities.derive(audited_found, text=text, n=n),
        total=audited,
        key="audits_facility_find",
        names=("name", "district"),
        label=t("audits.find_facility"),
        help_text=t("audits.find_facility_help"),
        shown_text=lambda shown, total: t("audits.find_facility_shown", shown=shown, total=total),
    )


def finding_counts(findings: pd.DataFrame) -> tuple[int, int]:
    """How many findings are listed, and how many of them are overdue."""
    return len(findings), int((findings["status"] == "overdue").sum())


def close_choices(findings: pd.DataFrame) -> pd.DataFrame:
    """The corrective actions still open, as the close panel lists them (in the reader's
    language)."""
    lang = current_language()
    still_open = findings[findings["closed_date"].isna()]
    return pd.DataFrame(
        {
            "key": still_open["finding_id"],
            "label": still_open[f"facility_{lang}"] + " · " + still_open[f"action_{lang}"],
            "district_code": still_open["district_code"],
            "facility_id": still_open["facility_id"],
        }
    )


def findings_page(findings: pd.DataFrame, *, n: int) -> tuple[pd.DataFrame, int]:
    """The first `n` findings as the table shows them (`findings_table`), and how many in all."""
    return findings_table(findings.head(n)), len(findings)


def render_close_panel(choices: Callable[[], pd.DataFrame]) -> None:
    """An auditor closes a corrective action that is still open (`close_choices`, `count`
    of them: listed only while the panel is open, when there are many)."""

    def fields(finding_id: int) -> list[FormField]:
        finding = read(get_finding, finding_id=int(finding_id)) or {}
        return [
            FormField("closed_date", label("closed_date"), "date", now.today),
            FormField("version", "", "hidden", finding.get("version", 1)),
        ]

    def write(session, actor, finding_id, values):  # noqa: ANN001, ANN202
        return close_action(
            session,
            actor=actor,
            finding_id=int(finding_id),
            expected_version=int(values["version"]),
            closed_date=values["closed_date"],
        )

    render_panel(
        Panel(
            key="close_action",
            title=t("audits.update.title"),
            action="close",
            entity="corrective_action",
            choices=choices,
            choice_label=t("audits.update.action"),
            fields=fields,
            write=write,
            submit_label=t("audits.update.submit"),
            none_in_scope=t("audits.update.none_open"),
        )
    )


# What the write side calls an item result's or a finding's fields -> (the table the form
# shows the message under, the name the message uses).
AUDIT_ALIASES = {
    "result": ("results", "result"),
    "note": ("results", "note"),
    "item_id": ("results", "item"),
    "finding_zh": ("findings", "finding"),
    "finding_en": ("findings", "finding"),
    "action_zh": ("findings", "action"),
    "action_en": ("findings", "action"),
    "owner": ("findings", "owner"),
    "due_date": ("findings", "due_date"),
}


def _text(value: object) -> str | None:
    """A table cell as text, None when blank (a data editor gives NaN, None or '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def audit_choices(facilities: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The facilities the new-audit panel lists."""
    return pd.DataFrame(
        {
            "key": facilities["facility_id"].astype(int),
            "label": facilities[f"name_{lang}"] + " · " + facilities[f"district_{lang}"],
            "district_code": facilities["district_code"],
            "facility_id": facilities["facility_id"].astype(int),
        }
    )


def audit_fields(items: pd.DataFrame, version_label: str, lang: str) -> list[FormField]:
    """The new audit's form: when, who, every checklist item's result, and findings."""
    results = pd.DataFrame(
        {
            "item_id": items["item_id"],
            "component": [COMPONENTS[code][lang == "en"] for code in items["component"]],
            # Numbered as the messages number them ("Checklist item 3: ...").
            "item": [f"{n}. {text}" for n, text in enumerate(items[f"text_{lang}"], start=1)],
            "result": pd.Series([None] * len(items), dtype="object"),
            "note": pd.Series([None] * len(items), dtype="object"),
        }
    )
    item_names = {
        item_id: f"{n}. {text[:24]}"
        for n, (item_id, text) in enumerate(
            zip(items["item_id"], items[f"text_{lang}"], strict=True), start=1
        )
    }
    result_names = {code: t(f"audits.result.{code}") for code in AUDIT_RESULTS}
    findings = pd.DataFrame(
        {
            "item_id": pd.Series(dtype="object"),
            "finding": pd.Series(dtype="object"),
            "action": pd.Series(dtype="object"),
            "owner": pd.Series(dtype="object"),
            "due_date": pd.Series(dtype="object"),
        }
    )

    return [
        FormField("audited_at", label("audited_at"), "moment", local_now()),
        FormField("auditor", label("auditor"), "text", current_user().name),
        FormField(
            "results",
            t("audits.new.results", checklist=version_label),
            "table",
            results,
            help=t("audits.new.results_help"),
            extra={
                "columns": {
                    "item_id": None,
                    "component": st.column_config.TextColumn(
                        t("audits.new.col.component"), disabled=True
                    ),
                    "item": st.column_config.TextColumn(
                        t("audits.new.col.item"), disabled=True, width="large"
                    ),
                    "result": st.column_config.SelectboxColumn(
                        t("audits.new.col.result"),
                        options=list(AUDIT_RESULTS),
                        format_func=result_names.__getitem__,
                        required=True,
                    ),
                    "note": st.column_config.TextColumn(t("audits.new.col.note")),
                }
            },
        ),
        FormField(
            "findings",
            t("audits.new.findings"),
            "table",
            findings,
            help=t("audits.new.findings_help"),
            extra={
                "num_rows": "dynamic",
                "columns": {
                    "item_id": st.column_config.SelectboxColumn(
                        t("audits.new.col.item"),
                        options=list(item_names),
                        format_func=lambda key: item_names.get(key, "—"),
                    ),
                    "finding": st.column_config.TextColumn(
                        t("audits.new.col.finding"), width="medium"
                    ),
                    "action": st.column_config.TextColumn(
                        t("audits.new.col.action"), width="medium"
                    ),
                    "owner": st.column_config.TextColumn(t("audits.new.col.owner")),
                    "due_date": st.column_config.DateColumn(
                        t("audits.new.col.due_date"), format="YYYY-MM-DD"
                    ),
                },
            },
        ),
    ]


def render_audit_panel(facilities: Source, count: int, lang: str) -> None:
    """An auditor enters a new audit of one of the `count` facilities listed: every checklist
    item's result, findings and actions."""
    checklist = read(get_checklist_in_force, day=now.today)
    if checklist is None or count == 0:
        return
    version_id, version_label, items = checklist

    def fields(facility_id: int) -> list[FormField]:
        return audit_fields(items, version_label, lang)

    def write(session, actor, facility_id, values):  # noqa: ANN001, ANN202
        entered = values["results"]
        typed = [
            row for row in values["findings"].to_dict("records") if any(map(_text, row.values()))
        ]
        return record_audit(
            session,
            actor=actor,
            values={
                "facility_id": int(facility_id),
                "checklist_version_id": version_id,
                "audited_at": to_utc(values["audited_at"]),
                "auditor": values["auditor"],
            },
            results={
                int(row["item_id"]): (_text(row["result"]), _text(row["note"]))
                for row in entered.to_dict("records")
            },
            # One text as typed, for readers of either language.
            findings=[
                {
                    "item_id": None if _text(row["item_id"]) is None else int(row["item_id"]),
                    "finding_zh": _text(row["finding"]),
                    "finding_en": _text(row["finding"]),
                    "action_zh": _text(row["action"]),
                    "action_en": _text(row["action"]),
                    "owner": _text(row["owner"]),
                    "due_date": None if pd.isna(row["due_date"]) else row["due_date"],
                }
                for row in typed
            ],
        )

    render_panel(
        Panel(
            key="audit_new",
            title=t("audits.new.title"),
            action="create",
            entity="audit",
            choices=lambda: facilities.derive(audit_choices, lang=lang),
            choice_label=t("audits.new.facility"),
            fields=fields,
            write=write,
            submit_label=t("audits.new.submit"),
            none_in_scope=t("audits.new.none_in_scope"),
            aliases=AUDIT_ALIASES,
        )
    )


now = start_page("audits.title")
if now is not None:
    lang = current_language()
    st.caption(t("audits.caption", time=format_local(now.now), zone=get_settings().timezone))

    districts = read(list_districts)
    # Option labels are worked out now, in this run's language: format_func may be called later.
    district_names = {
        "": t("district.all"),
        **dict(zip(districts["code"], districts[f"name_{lang}"], strict=True)),
    }
    kind_names = {kind: kind_label(kind) for kind in AUDITABLE_KINDS}
    left, right = st.columns(2)
    filter_from_address("audits_district", list(district_names))
    filter_from_address("audits_kinds", AUDITABLE_KINDS, several=True)
    district = left.selectbox(
        t("audits.filter.district"),
        list(district_names),
        format_func=district_names.__getitem__,
        key="audits_district",
    )
    kinds = right.multiselect(
        t("audits.filter.kinds"),
        AUDITABLE_KINDS,
        format_func=kind_names.__getitem__,
        placeholder=t("audits.filter.kinds_all"),
        key="audits_kinds",
        select_all=select_all_shown(),  # Streamlit's words: English only
    )
    filter_to_address("audits_district", district, default="")
    filter_to_address("audits_kinds", kinds, default=[])
    filters = {"district": district or None, "kinds": tuple(kinds), "at": now.now}

    # The facilities are used through what the page works out of them (counts, the rows
    # shown, the grid's and picker's facilities): a rerun does not take them all back.
    facilities = Source(list_facility_audit_status, today=now.today, **filters)
    counts = facilities.derive(facility_counts, grid_rows=GRID_MAX_FACILITIES)
    actions = read(get_action_totals, today=now.today, **filters)
    render_kpis(
        [
            Kpi(
                "recent",
                t("audits.kpi.recent"),
                f"{fmt_int(counts.current)} / {fmt_int(counts.facilities)}",
                t(
                    "audits.kpi.recent_help",
                    total=fmt_int(counts.facilities),
                    due=fmt_int(counts.facilities - counts.current),
                ),
            ),
            Kpi(
                "never",
                t("audits.kpi.never"),
                fmt_int(counts.never),
                t("audits.kpi.never_help"),
                status=status_of(0, counts.never),
            ),
            Kpi(
                "weak",
                t("audits.kpi.weak"),
                fmt_int(counts.weak),
                t("audits.kpi.weak_help"),
            ),
            Kpi(
                "open",
                t("audits.kpi.open"),
                fmt_int(actions.open),
                t("audits.kpi.open_help", overdue=fmt_int(actions.overdue)),
            ),
            Kpi(
                "overdue",
                t("audits.kpi.overdue"),
                fmt_int(actions.overdue),
                t("audits.kpi.overdue_help"),
                status=status_of(actions.overdue),
            ),
        ],
        per_row=5,
    )

    render_audit_panel(facilities, counts.facilities, lang)
    tab_facilities, tab_grid, tab_findings, tab_history = st.tabs(
        [
            t("audits.tab.facilities"),
            t("audits.tab.grid"),
            t("audits.tab.findings"),
            t("audits.tab.history"),
        ],
        # Tracked on the server: the open tab stays open through the rerun after a save.
        key="audits_tab",
        on_change="rerun",
    )

    with tab_facilities:
        st.caption(t("audits.facilities_caption"))
        if not counts.facilities:
            st.info(t("empty.filter"))
        else:

            def draw_facilities(table: pd.DataFrame) -> None:
                st.dataframe(
                    table,
                    column_config=facility_config(),
                    hide_index=True,
                    width="stretch",
                    key="audits_facilities",
                )

            # The worst first, a page at a time: a province audits ~5,000 facilities.
            render_pages(
                lambda n: facilities.derive(facility_page, n=n),
                key="audits_facilities",
                draw=draw_facilities,
                shown_text=lambda shown, total: t(
                    "audits.facilities_shown", shown=shown, total=total
                ),
            )

    with tab_grid:
        st.caption(t("audits.grid_caption"))
        # Only the facilities drawn: the grid has room for 50 rows.
        compliance = Source(list_component_compliance, facility_ids=counts.grid_ids, **filters)
        if not counts.grid_ids or not compliance.derive(len):
            st.info(t("audits.grid_none"))
        else:
            if counts.audited > len(counts.grid_ids):
                st.caption(
                    t("audits.grid_capped", shown=len(counts.grid_ids), total=counts.audited)
                )
            grid = cached_chart(
                grid_of, compliance=compliance, facilities=facilities, ids=counts.grid_ids
            )
            st.vega_lite_chart(grid, width="stretch", key="audits_grid")

    with tab_findings:
        st.caption(t("audits.findings_caption"))
        status_names = {status: t(f"audits.status_name.{status}") for status in ACTION_STATUSES}
        statuses = st.multiselect(
            t("audits.filter.statuses"),
            ACTION_STATUSES,
            default=["overdue", "open"],
            format_func=status_names.__getitem__,
            placeholder=t("audits.filter.statuses_all"),
            key="audits_statuses",
            select_all=select_all_shown(),  # Streamlit's words: English only
        )
        # What the tab shows of the findings (their count, the actions still open to close,
        # the table in the reader's words and the CSV) is worked out once per change and
        # filters: a rerun takes back only that, not the findings read (a province has
        # ~15,000 open actions).
        findings = Source(list_findings, today=now.today, statuses=tuple(statuses), **filters)
        rows, overdue = findings.derive(finding_counts)
        if rows == 0:
            st.info(t("empty.filter"))
        else:
            render_close_panel(lambda: findings.derive(close_choices))
            st.caption(t("audits.findings_count", rows=fmt_int(rows), overdue=fmt_int(overdue)))

            def draw(rows: pd.DataFrame) -> None:
                table, config = findings_view(rows)
                st.dataframe(
                    table,
                    column_config=config,
                    hide_index=True,
                    width="stretch",
                    key="audits_findings",
                )

            # A city has thousands of open actions: the most urgent first, a page at a time.
            def shown_text(shown: str, total: str) -> str:
                return t("audits.findings_shown", shown=shown, total=total)

            render_pages(
                lambda n: findings.derive(findings_page, n=n),
                key="audits_findings",
                draw=draw,
                shown_text=shown_text,
            )
            whole = findings.when_asked()
            st.download_button(
                t("audits.download"),
                # Made when clicked, from the findings as they are then.
                later(lambda: excel_csv(findings_table(whole()))),
                file_name=f"audit_findings_{now.today.isoformat()}.csv",
                mime="text/csv",
                icon=":material/download:",
                key="audits_download",
                on_click="ignore",
            )

    with tab_history:
        listed = facilities_to_pick(facilities, counts.audited)
        if not counts.audited:
            st.info(t("audits.no_audited"))
        elif listed.empty:
            st.info(t("audits.find_facility_none"))
        else:
            facility_names = {
                int(facility_id): name
                for facility_id, name in zip(
                    listed["facility_id"], listed[f"name_{lang}"], strict=True
                )
            }
            keep_choice("audits_facility")
            facility_id = st.selectbox(
                t("audits.pick_facility"),
                list(facility_names),
                format_func=facility_names.__getitem__,
                key="audits_facility",
            )
            history = read(list_facility_audits, facility_id=int(facility_id), at=now.now)
            st.subheader(t("audits.trend"))
            st.caption(t("audits.trend_caption"))
            trend = cached_chart(score_trend, history=history)
            st.vega_lite_chart(trend, width="stretch", key="audits_trend")

            st.subheader(t("audits.detail"))
            audits_by_id = history.set_index("audit_id")
            audit_names = {
                int(row.audit_id): f"{format_local(row.audited_at)} · {score_text(row.score)} · "
                f"{level_label(row.level)} · {row.checklist_label}"
                for row in history.iloc[::-1].itertuples()
            }
            keep_choice("audits_audit")
            audit_id = st.selectbox(
                t("audits.pick_audit"),
                list(audit_names),
                format_func=audit_names.__getitem__,
                key="audits_audit",
            )
            audit = audits_by_id.loc[audit_id]
            st.caption(
                t(
                    "audits.detail_header",
                    time=format_local(audit["audited_at"]),
                    auditor=markdown_text(person(audit["auditor"])),
                    checklist=audit["checklist_label"],
                )
            )
            items = read(list_audit_items, audit_id=int(audit_id), at=now.now)
            table, config = audit_items_view(items, COMPONENTS)
            st.dataframe(
                table,
                column_config=config,
                hide_index=True,
                width="stretch",
                height="content",
                key="audits_items",
            )
            st.markdown(f"**{t('audits.detail_findings')}**")
            own = read(list_findings, today=now.today, audit_id=int(audit_id), at=now.now)
            if own.empty:
                st.caption(t("audits.detail_no_findings"))
            else:
                own_source = ("list_findings", now.today, int(audit_id), now.now)
                table, config = findings_view(derive(findings_table, own, of=own_source))
                st.dataframe(
                    table,
                    column_config=config,
                    hide_index=True,
                    width="stretch",
                    key="audits_audit_findings",
                )
