"""The access journal's one code list (DESIGN §3.13): what was done, and to what kind of object."""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    VIEW_HOUSEHOLD = "view_household", "查看家庭档案"
    VIEW_MEMBER_FULL_ID = "view_member_full_id", "查看成员完整身份证号码"
    VIEW_DOCUMENT = "view_document", "查看材料"
    DOWNLOAD_DOCUMENT = "download_document", "下载材料"
    EXPORT_LIST = "export_list", "导出清单"
    EXPORT_CENTRAL_CHECK = "export_central_check", "导出核对数据"
    PRINT_FORM = "print_form", "打印表单"
    SEARCH = "search", "查询"
    API_READ = "api_read", "接口读取"
    SIGN_IN = "sign_in", "登录"
    SIGN_IN_FAILED = "sign_in_failed", "登录失败"
    SIGN_OUT = "sign_out", "退出登录"
    PASSWORD_CHANGE = "password_change", "修改密码"
    ROLE_CHANGE = "role_change", "角色变更"
    TOKEN_ISSUE = "token_issue", "签发接口令牌"
    TOKEN_USE = "token_use", "使用接口令牌"


class ObjectKind(models.TextChoices):
    HOUSEHOLD = "household", "家庭"
    MEMBER = "member", "成员"
    CASE = "case", "案件"
    DOCUMENT = "document", "材料"
    IMPORT = "import", "数据导入"
    EXPORT = "export", "导出"
    USER = "user", "用户"
    TOKEN = "token", "令牌"
    LIST = "list", "列表"
    ONLINE = "online", "线上申请"


# The actions that show a family's data: the rows a town clerk reads for the town's households.
FAMILY_ACTIONS = frozenset(
    {
        Action.VIEW_HOUSEHOLD,
        Action.VIEW_MEMBER_FULL_ID,
        Action.VIEW_DOCUMENT,
        Action.DOWNLOAD_DOCUMENT,
        Action.PRINT_FORM,
        Action.API_READ,
    }
)
