"""The error answers of the API, written into the OpenAPI schema (a drf-spectacular postprocessing hook).

What the API answers on an error is decided in daye_relief.errors.api_exception_handler: a refusal by the
rules (a DomainError) answers `{"code", "message", "field", "errors"}`; a field that does not validate
answers DRF's field map; a missing login, a permission refused, an object not found or out of scope
(the two look the same) answers `{"detail", "code"}`. Each operation gets those it can give, unless its
view documents its own.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENTS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "业务规则拒绝的请求（DomainError）。",
        "properties": {
            "code": {
                "type": "string",
                "description": "机器可读的错误代码",
                "example": "id_number_registered",
            },
            "message": {
                "type": "string",
                "description": "中文提示",
                "example": "该身份证号码已在其他家庭登记，请联系市民政局核实。",
            },
            "field": {"type": "string", "nullable": True, "description": "出错的字段；整个请求出错时为 null"},
            "errors": {
                "type": "object",
                "description": "按字段列出的全部提示",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["code", "message", "field", "errors"],
    },
    "FieldErrors": {
        "type": "object",
        "description": "字段校验未通过：每个字段的提示列表（non_field_errors 为整体提示）。",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "Detail": {
        "type": "object",
        "description": "未登录、无权操作，或对象不存在（超出您权限范围的对象也这样回答）。",
        "properties": {
            "detail": {"type": "string", "description": "中文提示"},
            "code": {"type": "string", "description": "机器可读的错误代码", "example": "not_found"},
        },
        "required": ["detail", "code"],
    },
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


BAD_REQUEST = _answer("请求有误", {"oneOf": [_ref("Error"), _ref("FieldErrors")]})
FORBIDDEN = _answer("未登录或无权操作", _ref("Detail"))
NOT_FOUND = _answer("对象不存在或不在您的权限范围内", _ref("Detail"))


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in ERROR_COMPONENTS.items():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            takes_input = method in ("post", "put", "patch") or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            )
            anonymous_allowed = {} in operation.get("security", [{}])
            if takes_input:
                responses.setdefault("400", BAD_REQUEST)
            if not anonymous_allowed:
                responses.setdefault("403", FORBIDDEN)
            if "{" in path:
                responses.setdefault("404", NOT_FOUND)
    return result
