"""The project's vocabulary, defined once: every code with its Chinese label, and the region code.

Plain Python, no Django: the eligibility engine reads its codes from here and `households.glossary`
builds the Django choices from the same tuples, so a code or a label is spelled in one place only. The
codes follow the snapshot schema v1 (DESIGN §3.1, §3.2; a test pins the schema's enums to these).
"""

from __future__ import annotations

# Daye City (湖北省黄石市大冶市), GB/T 2260: the region the project's default parameters are for. It is
# defined with the org units, the lowest layer, and named here too for the codes' readers.
from accounts.regions import REGION_CODE as REGION_CODE
from accounts.regions import REGION_NAME as REGION_NAME

CodeLabels = tuple[tuple[str, str], ...]


HUKOU_TYPES: CodeLabels = (("rural", "农村户籍"), ("urban", "城镇户籍"))
# Short forms for sentences: "上年度农村居民人均可支配收入".
HUKOU_SHORT_LABELS = {"rural": "农村", "urban": "城镇"}

# Relations are relative to the applicant (DESIGN §3.1).
RELATIONS: CodeLabels = (
    ("applicant", "申请人"),
    ("spouse", "配偶"),
    ("child", "子女"),
    ("parent", "父母"),
    ("grandparent", "(外)祖父母"),
    ("grandchild", "(外)孙子女"),
    ("sibling", "兄弟姐妹"),
    ("other", "其他"),
)
# A minor's parents who are not among the members (a grandchild's, another relative's; DESIGN §3.2 特困):
# absent or "able" means they can support; "unable" that both are dead, missing or without capacity, as the
# evidence recorded beside it shows (民法典第一千零七十四条: the grandparents' duty then arises).
PARENTS_STATUSES: CodeLabels = (
    ("able", "父母健在且有抚养能力（或不适用）"),
    ("unable", "父母均已死亡、失踪或无抚养能力"),
)
PARENTS_EVIDENCE_KINDS: CodeLabels = (
    ("death_certificate", "死亡证明或户籍注销证明"),
    ("court_declaration", "人民法院宣告死亡或失踪的判决书"),
    ("police_missing_proof", "公安机关出具的失踪（查找不到）证明"),
    ("disability_certificate", "残疾证或丧失劳动能力鉴定"),
    ("imprisonment_proof", "服刑或强制隔离戒毒证明"),
    ("other", "其他证明材料（在备注中写明）"),
)
# An external supporter's relation to the member supported: every relation but applicant and other.
SUPPORTER_RELATIONS: CodeLabels = tuple(pair for pair in RELATIONS if pair[0] not in ("applicant", "other"))

SEXES: CodeLabels = (("male", "男"), ("female", "女"))

MARITAL_STATUSES: CodeLabels = (
    ("unmarried", "未婚"),
    ("married", "已婚"),
    ("divorced", "离异"),
    ("widowed", "丧偶"),
)

EDUCATION_LEVELS: CodeLabels = (
    ("preschool", "学前"),
    ("primary", "小学"),
    ("junior_secondary", "初中"),
    ("senior_secondary", "普通高中"),
    ("secondary_vocational", "中职"),
    ("higher_vocational", "高职(专科)"),
    ("bachelor", "本科"),
    ("master", "硕士研究生"),
    ("doctorate", "博士研究生"),
)
# 本科及以下 (DESIGN §3.1 student_child): every level up to and including bachelor.
_CODES_IN_ORDER = [code for code, _ in EDUCATION_LEVELS]
BACHELOR_OR_BELOW = frozenset(_CODES_IN_ORDER[: _CODES_IN_ORDER.index("bachelor") + 1])

DISABILITY_TYPES: CodeLabels = (
    ("physical", "肢体"),
    ("intellectual", "智力"),
    ("mental", "精神"),
    ("visual", "视力"),
    ("hearing", "听力"),
    ("speech", "言语"),
    ("multiple", "多重"),
)
DISABILITY_GRADES: tuple[tuple[int, str], ...] = ((1, "一级"), (2, "二级"), (3, "三级"), (4, "四级"))

LABOR_CAPACITIES: CodeLabels = (
    ("full", "有劳动能力"),
    ("partial", "部分丧失劳动能力"),
    ("none", "无劳动能力"),
)

INCOME_KINDS: CodeLabels = (
    ("wages", "工资性收入"),
    ("business", "经营净收入"),
    ("farming", "种养殖收入"),
    ("property", "财产净收入"),
    ("transfer", "转移净收入"),
    ("other", "其他收入"),
)

ASSET_KINDS: CodeLabels = (
    ("deposit", "存款"),
    ("securities", "有价证券"),
    ("insurance", "商业保险现金价值"),
    ("vehicle", "机动车辆"),
    ("house", "房屋"),
    ("business", "登记注册的企业或经营实体"),
)
FINANCIAL_ASSET_KINDS = frozenset({"deposit", "securities", "insurance"})

EXPENSE_KINDS: CodeLabels = (
    ("medical", "医疗自付"),
    ("education", "教育"),
    ("other", "其他必需支出"),
)

# Assistance categories (DESIGN §3.2), in the "most favorable" order of `primary_category`;
# case_by_case (一事一议) is never automatic and comes last.
CATEGORIES: CodeLabels = (
    ("tekun", "特困"),
    ("dibao", "低保"),
    ("dibao_single", "单人户低保"),
    ("marginal", "低保边缘"),
    ("rigid_expense", "刚性支出困难"),
    ("monitoring", "防止返贫监测"),
    ("case_by_case", "其他困难人员"),
)
CATEGORY_LABELS = dict(CATEGORIES)
# The categories the engine finds, most favorable first (DESIGN §3.2 primary_category).
AUTOMATIC_CATEGORIES = tuple(code for code, _ in CATEGORIES if code != "case_by_case")
# Categories that belong to one member rather than to the household.
MEMBER_CATEGORIES = frozenset({"tekun", "dibao_single"})
# Categories that carry a monthly cash benefit (DESIGN §3.7); the others' help is §3.8's.
CASH_CATEGORIES = frozenset({"tekun", "dibao", "dibao_single"})
# A gradual exit (渐退期) is granted only where 低保 (household or 单人户) is cancelled.
GRADUAL_EXIT_CATEGORIES = frozenset({"dibao", "dibao_single"})

# Why an enrollment ended (DESIGN §3.7).
END_REASONS: CodeLabels = (
    ("death", "死亡"),
    ("moved_out", "迁出"),
    ("income_exceeds", "收入超过标准"),
    ("property_exceeds", "财产超过标准"),
    ("risk_eliminated", "风险消除"),
    ("gradual_exit_ended", "渐退期满"),
    ("adjustment", "动态调整"),
    ("other", "其他"),
)


def labels(pairs: CodeLabels) -> dict[str, str]:
    """code → label for one of the tuples above."""
    return dict(pairs)


# The two bureaus that receive filings and decide re-evaluation proposals (DESIGN §2, §3.4): the
# Agriculture Bureau owns the monitoring mark, the Civil Affairs Bureau every other category.
BUREAUS: CodeLabels = (("civil_affairs", "市民政局"), ("agriculture", "市农业农村局"))
AGRICULTURE_CATEGORIES = frozenset({"monitoring"})


def bureau_of(category: str) -> str:
    """The bureau that decides on a category: agriculture for monitoring, civil_affairs for the rest."""
    return "agriculture" if category in AGRICULTURE_CATEGORIES else "civil_affairs"


# Special assistance (DESIGN §3.8): what a member received, from whom it is known, what a family needs.
ASSISTANCE_KINDS: CodeLabels = (
    ("medical", "医疗救助"),
    ("illness_emergency", "疾病应急救助"),
    ("education", "教育救助(学生资助)"),
    ("housing", "住房救助"),
    ("employment", "就业救助"),
    ("disaster", "受灾人员救助"),
    ("legal_aid", "法律援助"),
    ("temporary", "临时救助"),
    ("hardship_worker", "困难职工帮扶"),
    ("social_help", "社会力量帮扶"),
    ("other", "其他救助"),
)
ASSISTANCE_SOURCES: CodeLabels = (
    ("manual", "手工录入"),
    ("shared_data", "部门共享数据"),
    ("social_forces", "社会力量"),
)
# The shared datasets (DESIGN §3.6) whose rows are assistance records, and the kind each becomes.
DATASET_ASSISTANCE_KINDS = {
    "illness_relief": "illness_emergency",
    "medical_assistance": "medical",
    "student_aid": "education",
    "housing": "housing",
    "disaster": "disaster",
    "legal_aid": "legal_aid",
    "hardship_worker": "hardship_worker",
}
# What a household may need from charity projects and volunteers (社会力量).
NEED_KINDS: CodeLabels = (
    ("care", "生活照料"),
    ("medical", "医疗康复"),
    ("education", "助学"),
    ("employment", "就业帮扶"),
    ("housing", "住房修缮"),
    ("psychological", "心理疏导"),
    ("goods", "物资捐助"),
    ("legal", "法律咨询"),
    ("other", "其他"),
)
