"""Common surnames and given names of the region (for demo data and generated benchmark households), and
how a name is masked on public pages."""

SURNAMES = "柯陈刘王张李黄周吴石尹胡徐程曹余汪肖"
GIVEN = [
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "丽华",
    "春生",
    "德明",
    "玉梅",
    "小燕",
    "子涵",
    "浩然",
    "雨欣",
    "俊杰",
    "金花",
    "国庆",
    "冬梅",
    "海波",
    "佳怡",
    "明轩",
    "翠萍",
    "红军",
    "爱华",
    "文斌",
    "思远",
    "梦琪",
    "大勇",
    "长生",
    "凤英",
]


def mask_name(name: str) -> str:
    """A name as the internet may show it (DESIGN §3.4): the surname and the last character stay, the
    characters between become *: 张小明 → 张*明, 欧阳小明 → 欧**明; a two-character name keeps its
    surname only: 张明 → 张*."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
