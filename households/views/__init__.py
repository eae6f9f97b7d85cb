"""Household screens, one module per sub-domain (households, assistance)."""
