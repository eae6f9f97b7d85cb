"""Codes and Chinese labels for monitoring: warning types, severities, statuses, actions, import states."""

from typing import Any

from django.db import models


class WarningType(models.TextChoices):
    UNEMPLOYMENT = "unemployment", "失业登记"
    INCOME_RISE = "income_rise", "就业增收"
    DEATH = "death", "死亡"
    MEDICAL_BURDEN = "medical_burden", "医疗负担过重"
    ASSISTANCE_BELOW_RATIO = "assistance_below_ratio", "医疗救助比例偏低"
    DANGEROUS_HOUSE = "dangerous_house", "危房"
    DISASTER = "disaster", "受灾"
    SEVERE_DISABILITY = "severe_disability", "重度残疾"
    IMPRISONMENT = "imprisonment", "服刑"
    VISIT_CONCERN = "visit_concern", "巡访发现问题"
    CHECK_DISCREPANCY = "check_discrepancy", "核对结果不符"
    STUDENT_AID_MISSING = "student_aid_missing", "学生资助未落实"


class Severity(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class WarningStatus(models.TextChoices):
    OPEN = "open", "待处理"
    IN_PROGRESS = "in_progress", "处理中"
    HANDLED = "handled", "已反馈"
    CLOSED = "closed", "已办结"


class WarningAction(models.TextChoices):
    ASSISTED = "assisted", "已救助帮扶"
    REFERRED = "referred", "已转介"
    REINVESTIGATION = "reinvestigation", "重新调查（动态调整）"
    NO_ACTION = "no_action", "无需处理"


class WarningEventKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "签收"
    FEEDBACK = "feedback", "反馈处理情况"
    ADJUSTMENT = "adjustment", "启动动态调整"
    CLOSE = "close", "办结"


def warning_event_sentence(kind: str, payload: dict[str, Any]) -> str:
    """The Chinese sentence of a warning's event from its kind and payload (monitoring.events writes both)."""
    case = payload.get("case_number")
    if kind == WarningEventKind.FEEDBACK:
        return f"{payload['feedback']}（已启动动态调整案件 {case}）" if case else payload["feedback"]
    if kind == WarningEventKind.ADJUSTMENT:
        return f"已启动动态调整案件 {case}"
    if kind == WarningEventKind.CLOSE:
        return str(payload.get("note", ""))
    return ""


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "无法导入"


class ImportChannel(models.TextChoices):
    UPLOAD = "upload", "页面上传"
    API = "api", "接口报送"
    SYNC = "sync", "每月同步"
    COMMAND = "command", "命令行"


# Which bureau owns a household's categories, for escalation (DESIGN §3.6).
BUREAU_OF_CATEGORY = {
    "tekun": "MZJ",
    "dibao": "MZJ",
    "dibao_single": "MZJ",
    "marginal": "MZJ",
    "rigid_expense": "MZJ",
    "monitoring": "NYNCJ",
}


# Visits (巡访, DESIGN §3.6) ------------------------------------------------------------------------


class VisitMethod(models.TextChoices):
    HOME = "home", "入户"
    PHONE = "phone", "电话"
    NEIGHBOURS = "neighbours", "邻里走访"
    VIDEO = "video", "视频"


class Assurance(models.TextChoices):
    SECURE = "secure", "有保障"
    NOT_SECURE = "not_secure", "无保障"


# The six items a visit looks at (两不愁三保障 and drinking water), in the order the form shows them:
# model field prefix → Chinese label.
VISIT_ITEMS: tuple[tuple[str, str], ...] = (
    ("food", "吃不愁"),
    ("clothing", "穿不愁"),
    ("education", "义务教育保障"),
    ("medical", "基本医疗保障"),
    ("housing", "住房安全保障"),
    ("water", "饮水安全"),
)


# Risk elimination (风险消除, DESIGN §3.7) -----------------------------------------------------------


class RiskBasis(models.TextChoices):
    INCOME = "income", "收入持续稳定超过监测标准"
    NATURAL = "natural", "自然消除（家庭成员均已死亡或迁出）"


class RiskDecisionKind(models.TextChoices):
    ELIMINATE = "eliminate", "标注风险消除"
    KEEP = "keep", "继续监测"


class RiskReviewStatus(models.TextChoices):
    DECIDED = "decided", "已研判，待报备"
    FILED = "filed", "已报市农业农村局"
    RETURNED = "returned", "退回补正"
    ACKNOWLEDGED = "acknowledged", "市农业农村局已确认"


# Checks (DESIGN §3.6 Checks).
class CheckKind(models.TextChoices):
    ANNUAL = "annual", "年度核查"
    AD_HOC = "ad_hoc", "不定期核查"


class CheckStatus(models.TextChoices):
    OPEN = "open", "待核查"
    DONE = "done", "已核查"


class CheckResult(models.TextChoices):
    CONFIRMED = "confirmed", "核查属实（维持）"
    ADJUST = "adjust", "需调整（启动动态调整）"
    CANCEL = "cancel", "应取消（启动动态调整）"


class CheckPlanMode(models.TextChoices):
    ALL = "all", "全部在册家庭"
    SAMPLE = "sample", "按比例随机抽取"


# Education levels up to senior secondary (学前 to 普通高中/中职): student aid is due (DESIGN §3.6).
STUDENT_AID_LEVELS = frozenset(
    {"preschool", "primary", "junior_secondary", "senior_secondary", "secondary_vocational"}
)
# The enrolled categories whose students are checked for student aid.
STUDENT_AID_CATEGORIES = frozenset({"tekun", "dibao", "dibao_single", "marginal", "monitoring"})
