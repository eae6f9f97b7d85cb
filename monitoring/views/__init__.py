"""Monitoring's screens, one module per sub-domain (imports, warnings, visits, risk, checks)."""
