"""Codes and Chinese labels for household data. Codes follow the snapshot schema v1."""

from django.db import models


class HukouType(models.TextChoices):
    RURAL = "rural", "农村户籍"
    URBAN = "urban", "城镇户籍"


class Relation(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDPARENT = "grandparent", "(外)祖父母"
    GRANDCHILD = "grandchild", "(外)孙子女"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class MaritalStatus(models.TextChoices):
    UNMARRIED = "unmarried", "未婚"
    MARRIED = "married", "已婚"
    DIVORCED = "divorced", "离异"
    WIDOWED = "widowed", "丧偶"


class EducationLevel(models.TextChoices):
    PRESCHOOL = "preschool", "学前"
    PRIMARY = "primary", "小学"
    JUNIOR_SECONDARY = "junior_secondary", "初中"
    SENIOR_SECONDARY = "senior_secondary", "普通高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中职"
    HIGHER_VOCATIONAL = "higher_vocational", "高职(专科)"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTORATE = "doctorate", "博士研究生"


class DisabilityType(models.TextChoices):
    PHYSICAL = "physical", "肢体"
    INTELLECTUAL = "intellectual", "智力"
    MENTAL = "mental", "精神"
    VISUAL = "visual", "视力"
    HEARING = "hearing", "听力"
    SPEECH = "speech", "言语"
    MULTIPLE = "multiple", "多重"


class DisabilityGrade(models.IntegerChoices):
    GRADE_1 = 1, "一级"
    GRADE_2 = 2, "二级"
    GRADE_3 = 3, "三级"
    GRADE_4 = 4, "四级"


class LaborCapacity(models.TextChoices):
    FULL = "full", "有劳动能力"
    PARTIAL = "partial", "部分丧失劳动能力"
    NONE = "none", "无劳动能力"


class IncomeKind(models.TextChoices):
    WAGES = "wages", "工资性收入"
    BUSINESS = "business", "经营净收入"
    FARMING = "farming", "种养殖收入"
    PROPERTY = "property", "财产净收入"
    TRANSFER = "transfer", "转移净收入"
    OTHER = "other", "其他收入"


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", "存款"
    SECURITIES = "securities", "有价证券"
    INSURANCE = "insurance", "商业保险现金价值"
    VEHICLE = "vehicle", "机动车辆"
    HOUSE = "house", "房屋"
    BUSINESS = "business", "登记注册的企业或经营实体"


FINANCIAL_ASSET_KINDS = frozenset({AssetKind.DEPOSIT, AssetKind.SECURITIES, AssetKind.INSURANCE})


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", "医疗自付"
    EDUCATION = "education", "教育"
    OTHER = "other", "其他必需支出"


class SupporterRelation(models.TextChoices):
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDPARENT = "grandparent", "(外)祖父母"
    GRANDCHILD = "grandchild", "(外)孙子女"
    SIBLING = "sibling", "兄弟姐妹"


class Category(models.TextChoices):
    """Assistance categories (DESIGN §3.2)."""

    TEKUN = "tekun", "特困"
    DIBAO = "dibao", "低保"
    DIBAO_SINGLE = "dibao_single", "单人户低保"
    MARGINAL = "marginal", "低保边缘"
    RIGID_EXPENSE = "rigid_expense", "刚性支出困难"
    MONITORING = "monitoring", "防止返贫监测"
    CASE_BY_CASE = "case_by_case", "其他困难人员"


class EndReason(models.TextChoices):
    """Why an enrollment ended (DESIGN §3.7)."""

    DEATH = "death", "死亡"
    MOVED_OUT = "moved_out", "迁出"
    INCOME_EXCEEDS = "income_exceeds", "收入超过标准"
    PROPERTY_EXCEEDS = "property_exceeds", "财产超过标准"
    RISK_ELIMINATED = "risk_eliminated", "风险消除"
    GRADUAL_EXIT_ENDED = "gradual_exit_ended", "渐退期满"
    ADJUSTMENT = "adjustment", "动态调整"
    OTHER = "other", "其他"


# Categories that carry a monthly cash benefit (DESIGN §3.7); the others' help is §3.8's.
CASH_CATEGORIES = frozenset({Category.TEKUN, Category.DIBAO, Category.DIBAO_SINGLE})
# Enrolled per member, each approved member with their own enrollment.
MEMBER_CATEGORIES = frozenset({Category.TEKUN, Category.DIBAO_SINGLE})
# A gradual exit (渐退期) is granted only where 低保 is cancelled.
GRADUAL_EXIT_CATEGORIES = frozenset({Category.DIBAO, Category.DIBAO_SINGLE})
