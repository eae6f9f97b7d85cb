"""Writes to household records, one module per sub-domain (households, assistance, enrollments)."""
