"""The warning rules (DESIGN §3.6): in Python (warnings) and, for the plain data tests,
as SQL (warnings_sql)."""
