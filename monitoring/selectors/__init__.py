"""Monitoring's reads, one module per sub-domain (the same names as services/, views/ and forms/)."""
