"""The region this installation serves, GB/T 2260: Daye City (湖北省黄石市大冶市).

It lives in the lowest layer because the org units (the city is the root of the tree), the household
codes and the eligibility parameters all start from it. Plain Python, no Django.
"""

from __future__ import annotations

REGION_CODE = "420281"
REGION_NAME = "大冶市"
