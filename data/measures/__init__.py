"""Domain arithmetic as pure functions: no database, no Streamlit, exact tests."""
