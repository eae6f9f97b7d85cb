"""Monitoring's writes, one module per sub-domain (the same names as selectors/ and views/)."""
