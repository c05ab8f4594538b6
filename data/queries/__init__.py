"""Reads: each function takes the session keyword-only and returns DataFrames or small records.

Aggregation happens in SQL; the dashboard reads current-state and rollup tables, not history.
"""
