"""Renderers of plain data (DataFrames, numbers): charts, maps, KPI cards. No database here."""
