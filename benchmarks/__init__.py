"""Benchmarks run by `make bench` (`python -m benchmarks --help`).

The eligibility benchmark measures the pure engine on generated snapshots and the bulk re-evaluation of
generated households on PostgreSQL, each beside a baseline measured in the same run.
"""
