"""Household forms, one module per sub-domain (households, assistance)."""
