"""Reads of household records, one module per sub-domain (households, assistance, enrollments,
history), always through the user's scope (accounts.access)."""
