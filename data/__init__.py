"""The command center's data layer: tables, reads, writes, domain arithmetic. No Streamlit here."""
