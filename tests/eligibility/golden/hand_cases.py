"""Hand-written golden inputs: the households the category and reason tests are about, named."""

from __future__ import annotations

from typing import Any

from ..builders import household, member

ELDERLY = {"born": "1950-01-01", "labor": "partial"}

HAND_CASES: list[tuple[str, dict[str, Any]]] = [
    ("income-over-dibao", household(member("a", income="7800"))),
    ("no-income", household(member("a", income="0"))),
    ("urban-no-income", household(member("a", income="0"), hukou="urban")),
    (
        "financial-assets-and-vehicle",
        household(member("a", income="0"), assets={"financial_assets": "9000", "motor_vehicles": 1}),
    ),
    ("two-houses", household(member("a", income="0"), assets={"houses": 2})),
    ("three-houses", household(member("a", income="0"), assets={"houses": 3})),
    ("registered-business", household(member("a", income="0"), assets={"registered_business": True})),
    ("tekun-elderly-alone", household(member("a", born="1965-06-01", labor="partial"))),
    ("tekun-day-before-60", household(member("a", born="1965-06-02", labor="partial"))),
    ("elderly-able-spouse", household(member("a", **ELDERLY), member("s", "spouse", born="1975-01-01"))),
    (
        "elderly-imprisoned-spouse",
        household(member("a", **ELDERLY), member("s", "spouse", born="1975-01-01", imprisoned=True)),
    ),
    (
        "elderly-spouse-with-pension",
        household(
            member("a", **ELDERLY), member("s", "spouse", born="1975-01-01", labor="none", income="7200")
        ),
    ),
    ("elderly-couple", household(member("a", **ELDERLY), member("s", "spouse", born="1948-01-01"))),
    ("elderly-income-at-tekun-limit", household(member("a", income="7200", **ELDERLY))),
    (
        "elderly-able-external-child",
        household(
            member("a", **ELDERLY),
            external_supporters=[
                {"supports": "a", "relation": "child", "able_to_support": True, "name": "柯明"}
            ],
        ),
    ),
    (
        "elderly-unable-external-child",
        household(
            member("a", **ELDERLY),
            external_supporters=[{"supports": "a", "relation": "child", "able_to_support": False}],
        ),
    ),
    (
        "disabled-adult-intellectual-3",
        household(
            member(
                "a", born="1985-01-01", labor="partial", disability_grade=3, disability_type="intellectual"
            )
        ),
    ),
    (
        "disabled-adult-physical-3",
        household(
            member("a", born="1985-01-01", labor="partial", disability_grade=3, disability_type="physical")
        ),
    ),
    ("minor-alone-15", household(member("a", born="2009-06-02"))),
    ("minor-alone-16", household(member("a", born="2009-06-01"))),
    (
        "newborn-grandchild-parents-elsewhere",
        household(member("a", **ELDERLY), member("g", "grandchild", born="2025-03-10")),
    ),
    (
        "newborn-grandchild-parents-unable",
        household(
            member("a", **ELDERLY), member("g", "grandchild", born="2025-03-10", parents_status="unable")
        ),
    ),
    (
        "grandchild-parents-unable-grandparent-able",
        household(
            member("a", born="1970-03-01", income="3000"),
            member("g", "grandchild", born="2016-01-01", parents_status="unable"),
        ),
    ),
    (
        "minor-child-of-able-parent",
        household(member("a", income="6000"), member("c", "child", born="2015-01-01")),
    ),
    (
        "uncounted-supporters",
        household(
            member("a", **ELDERLY),
            member("c", "child", born="1978-01-01", lives_together=False, shares_finances=False),
            member(
                "p", "parent", born="1930-01-01", labor="none", lives_together=False, shares_finances=False
            ),
        ),
    ),
    (
        "named-members",
        household(
            member("a", born="1950-01-01", labor="none", income="2000", name="张三"),
            member("c", "child", born="1980-01-01", income="50000", name="张小明"),
        ),
    ),
    (
        "marginal-with-seriously-ill-member",
        household(member("a", income="10000"), member("s", "spouse", income="6000", serious_illness=True)),
    ),
    (
        "rigid-expense",
        household(member("a", income="30000"), annual_rigid_expenses={"medical": "40000"}),
    ),
    ("monitoring-line", household(member("a", income="14000"))),
]
