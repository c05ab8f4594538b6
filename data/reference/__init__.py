"""Reference data shipped with the project: districts and their boundaries."""
