"""Markdown tables of benchmark results (the JSON that benchmarks/run.py writes), for
benchmarks/RESULTS.md.

    python benchmarks/report.py var/benchmark/demo-sqlite.json var/benchmark/city-sqlite.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _kb(value: float) -> str:
    return f"{value / 1024:,.1f}"


def _wire(figures: dict[str, Any], key: str) -> str:
    """' (21.3)': the compressed size, where the run measured it."""
    return f" ({_kb(figures[key])})" if key in figures else ""


def _after(figures: dict[str, Any], key: str) -> str:
    """The page's CPU after a write elsewhere (`after_write`: of unknown reach;
    `after_report`: a testing-site report), where the run measured it."""
    return _ms(figures[key]["cpu_median_ms"]) if key in figures else "—"


def scale_ratio_heading(result: dict[str, Any]) -> str:
    """'city ÷ demo (warm CPU / cold CPU)': the page against the scale below, where measured."""
    smaller = result.get("smaller_scale", "the scale below")
    return f"{result['scale']} ÷ {smaller} (warm CPU / cold CPU)"


def _ratios(figures: dict[str, Any]) -> str:
    if "over_smaller" not in figures:
        return "—"
    return f"{figures['over_smaller']:.2f} / {figures['over_smaller_cold']:.2f}"


def _unkept(figures: dict[str, Any]) -> str:
    """The page's cold CPU with nothing kept in the database, where the run measured it."""
    return _ms(figures["cold_unkept"]["cpu_median_ms"]) if "cold_unkept" in figures else "—"


def pages_table(result: dict[str, Any]) -> str:
    lines = [
        "| page | cold median / p95 ms | cold CPU ms | warm median / p95 ms | warm CPU ms "
        "| after a write CPU ms | after a testing report CPU ms | cold, nothing kept CPU ms "
        "| first load KB (on the wire) "
        "| rerun KB (on the wire) "
        f"| {scale_ratio_heading(result)} |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, f in result["pages"].items():
        lines.append(
            f"| {page} | {_ms(f['cold']['median_ms'])} / {_ms(f['cold']['p95_ms'])} "
            f"| {_ms(f['cold']['cpu_median_ms'])} "
            f"| {_ms(f['warm']['median_ms'])} / {_ms(f['warm']['p95_ms'])} "
            f"| {_ms(f['warm']['cpu_median_ms'])} "
            f"| {_after(f, 'after_write')} "
            f"| {_after(f, 'after_report')} "
            f"| {_unkept(f)} "
            f"| {_kb(f['first_load_bytes'])}{_wire(f, 'first_load_wire_bytes')} "
            f"| {_kb(f['rerun_bytes'])}{_wire(f, 'rerun_wire_bytes')} "
            f"| {_ratios(f)} |"
        )
    return "\n".join(lines)


def _naive(figures: dict[str, Any]) -> str:
    """'naive ms | naive ÷ ours', or why the naive way was not run."""
    if figures.get("naive_ms") is None:
        rows = figures.get("naive_table_rows", 0)
        return f"not run: {rows:,} rows read whole would not fit in memory | —"
    return f"{_ms(figures['naive_ms'])} | {figures['naive_over_ours']:,.1f}"


def aggregates_table(result: dict[str, Any]) -> str:
    lines = ["| page | aggregate | ours ms | naive ms | naive ÷ ours |", "|---|---|---|---|---|"]
    for page, f in result["aggregates"].items():
        lines.append(f"| {page} | {f['what']} | {_ms(f['ours_ms'])} | {_naive(f)} |")
    return "\n".join(lines)


def other_figures(result: dict[str, Any]) -> str:
    tick, update, memory = result["tick"], result["update"], result["memory"]
    rows = [
        f"- refresh tick with nothing changed: {tick['cpu_median_ms']:.2f} ms CPU median "
        f"({tick['median_ms']:.2f} ms wall)",
        f"- one update through the write side (with its change-log row): "
        f"{update['median_ms']:.1f} ms median, {update['p95_ms']:.1f} ms p95",
        f"- memory: peak {memory['peak_mb']:,.0f} MB of the process; each extra session "
        f"{memory['per_session_mb']:.1f} MB",
    ]
    if result.get("import"):
        imp = result["import"]
        rows.append(
            f"- import of {imp['rows']:,} testing-site reports (CSV, every check): "
            f"{imp['rows_per_s']:,.0f} rows/s wall, {imp['rows_per_cpu_s']:,.0f} per CPU "
            f"second, peak {imp['peak_mb']:,.0f} MB"
        )
    return "\n".join(rows)


def main() -> None:
    for name in sys.argv[1:]:
        result = json.loads(Path(name).read_text(encoding="utf-8"))
        machine = result["machine"]
        print(f"### {result['scale']} scale, {result['backend']} ({result['started']})\n")
        print(
            f"Machine: {machine['cpu']}, {machine['cores']} cores, load "
            f"{machine['load_1min_at_start']:.1f} at the start; Python {machine['python']}, "
            f"Streamlit {machine['streamlit']}. "
            f"AppTest's own run of an empty script: {result['harness']['median_ms']:.1f} ms "
            f"(not subtracted).\n"
        )
        print(pages_table(result))
        print()
        print(aggregates_table(result))
        print()
        print(other_figures(result))
        print()
        if result["misses"]:
            print("Misses:\n")
            for line in result["misses"]:
                print(f"- {line}")
        print()


if __name__ == "__main__":
    main()
