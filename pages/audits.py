"""Infection-control audits: latest score per facility, compliance grid, actions, trend, detail."""

import pandas as pd
import streamlit as st

from components.audits_charts import (
    chart_spec,
    compliance_heatmap,
    heat_grid_cells,
    score_trend_chart,
    trend_frame,
)
from components.audits_tables import (
    audit_items_view,
    facility_view,
    findings_table,
    findings_view,
    kind_label,
    level_label,
    score_text,
)
from components.export import excel_csv
from components.format import fmt_int
from components.forms import FormField
from components.kpi import Kpi, render_kpis
from data.codes import AUDITABLE_KINDS
from data.measures.audits import ACTION_STATUSES
from data.queries.audits import (
    get_action_totals,
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
from data.timeutil import format_local
from data.writes import close_action
from i18n import current_language, t
from panels import Panel, label, render_panel
from shell import read, start_page

# The heat grid shows at most this many facilities (the lowest-scoring): beyond that a grid
# is too tall to read, and the filters narrow it down.
GRID_MAX_FACILITIES = 50


def render_close_panel(findings: pd.DataFrame, lang: str) -> None:
    """An auditor closes a corrective action that is still open."""
    still_open = findings[findings["closed_date"].isna()]

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
            choices=pd.DataFrame(
                {
                    "key": still_open["finding_id"],
                    "label": still_open[f"facility_{lang}"] + " · " + still_open[f"action_{lang}"],
                    "district_code": still_open["district_code"],
                    "facility_id": still_open["facility_id"],
                }
            ),
            choice_label=t("audits.update.action"),
            fields=fields,
            write=write,
            submit_label=t("audits.update.submit"),
            none_in_scope=t("audits.update.none_open"),
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
    )
    filters = {"district": district or None, "kinds": tuple(kinds), "at": now.now}

    facilities = read(list_facility_audit_status, today=now.today, **filters)
    actions = read(get_action_totals, today=now.today, **filters)
    status_counts = facilities["audit_status"].value_counts()
    render_kpis(
        [
            Kpi(
                "recent",
                t("audits.kpi.recent"),
                f"{fmt_int(status_counts.get('current', 0))} / {fmt_int(len(facilities))}",
                t(
                    "audits.kpi.recent_help",
                    total=fmt_int(len(facilities)),
                    due=fmt_int(len(facilities) - status_counts.get("current", 0)),
                ),
            ),
            Kpi(
                "never",
                t("audits.kpi.never"),
                fmt_int(status_counts.get("never", 0)),
                t("audits.kpi.never_help"),
            ),
            Kpi(
                "weak",
                t("audits.kpi.weak"),
                fmt_int(facilities["level"].isin(["inadequate", "basic"]).sum()),
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
            ),
        ],
        per_row=5,
    )

    audited = facilities[facilities["audit_id"].notna()]
    tab_facilities, tab_grid, tab_findings, tab_history = st.tabs(
        [
            t("audits.tab.facilities"),
            t("audits.tab.grid"),
            t("audits.tab.findings"),
            t("audits.tab.history"),
        ]
    )

    with tab_facilities:
        st.caption(t("audits.facilities_caption"))
        if facilities.empty:
            st.info(t("empty.filter"))
        else:
            table, config = facility_view(facilities)
            st.dataframe(
                table,
                column_config=config,
                hide_index=True,
                width="stretch",
                key="audits_facilities",
            )

    with tab_grid:
        st.caption(t("audits.grid_caption"))
        shown = audited.head(GRID_MAX_FACILITIES)
        compliance = read(list_component_compliance, **filters)
        if shown.empty or compliance.empty:
            st.info(t("audits.grid_none"))
        else:
            if len(audited) > len(shown):
                st.caption(t("audits.grid_capped", shown=len(shown), total=len(audited)))
            cells, facility_order, component_order = heat_grid_cells(compliance, shown, COMPONENTS)
            heatmap = compliance_heatmap(
                cells, facility_order=facility_order, component_order=component_order
            )
            st.vega_lite_chart(chart_spec(heatmap), width="stretch", key="audits_grid")

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
        )
        findings = read(list_findings, today=now.today, statuses=tuple(statuses), **filters)
        if findings.empty:
            st.info(t("empty.filter"))
        else:
            render_close_panel(findings, current_language())
            overdue = findings["status"] == "overdue"
            st.caption(
                t(
                    "audits.findings_count",
                    rows=fmt_int(len(findings)),
                    overdue=fmt_int(int(overdue.sum())),
                )
            )
            plain = findings_table(findings)
            table, config = findings_view(plain)
            st.dataframe(
                table,
                column_config=config,
                hide_index=True,
                width="stretch",
                key="audits_findings",
            )
            st.download_button(
                t("audits.download"),
                data=excel_csv(plain),
                file_name=f"audit_findings_{now.today.isoformat()}.csv",
                mime="text/csv",
                icon=":material/download:",
                key="audits_download",
            )

    with tab_history:
        if audited.empty:
            st.info(t("audits.no_audited"))
        else:
            facility_names = {
                int(facility_id): name
                for facility_id, name in zip(
                    audited["facility_id"], audited[f"name_{lang}"], strict=True
                )
            }
            facility_id = st.selectbox(
                t("audits.pick_facility"),
                list(facility_names),
                format_func=facility_names.__getitem__,
                key="audits_facility",
            )
            history = read(list_facility_audits, facility_id=int(facility_id), at=now.now)
            st.subheader(t("audits.trend"))
            st.caption(t("audits.trend_caption"))
            trend = score_trend_chart(trend_frame(history))
            st.vega_lite_chart(chart_spec(trend), width="stretch", key="audits_trend")

            st.subheader(t("audits.detail"))
            audits_by_id = history.set_index("audit_id")
            audit_names = {
                int(row.audit_id): f"{format_local(row.audited_at)} · {score_text(row.score)} · "
                f"{level_label(row.level)} · {row.checklist_label}"
                for row in history.iloc[::-1].itertuples()
            }
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
                    auditor=audit["auditor"],
                    checklist=audit["checklist_label"],
                )
            )
            items = read(list_audit_items, audit_id=int(audit_id))
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
                table, config = findings_view(findings_table(own))
                st.dataframe(
                    table,
                    column_config=config,
                    hide_index=True,
                    width="stretch",
                    key="audits_audit_findings",
                )
