"""Evaluating a submitted snapshot with the parameters in force: shared by the API, the command and the
self-check page, so that all three answer alike.

Whatever arrives is refused with a 400-style `EvaluationRefused` naming the problem, never a crash: a body
over 64 KB, text that is not UTF-8 or not JSON, nesting deeper than any snapshot has, integers too long
to be counts, NaN or Infinity, strings with unpaired surrogates (which no UTF-8 answer could echo), and
then everything the schema and the rules refuse.
"""

from __future__ import annotations

import json
from typing import Any

from .engine import Evaluation, evaluate
from .errors import EvaluationRefused, ParametersMissing
from .selectors import ParameterTable
from .snapshot import SnapshotInvalid, validate_snapshot

__all__ = ["MAX_BODY_BYTES", "EvaluationRefused", "evaluate_submitted", "parse_submitted"]

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 8  # the deepest snapshot value is $.external_supporters[0].name: depth 3
MAX_INTEGER_DIGITS = 15


class _Refusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _refuse(code: str, message: str, path: str = "$") -> EvaluationRefused:
    return EvaluationRefused([{"path": path, "code": code, "message": message}])


def too_large() -> EvaluationRefused:
    return _refuse("too_large", f"请求内容超过 {MAX_BODY_BYTES // 1024} KB，未作测算。")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Refusal("number_too_large", f"数字 {text[:20]}… 位数过多（最多 {MAX_INTEGER_DIGITS} 位）。")
    return int(text)


def _constant(text: str) -> Any:
    raise _Refusal("invalid_json", f"{text} 不是有效的JSON数值。")


def parse_submitted(raw: bytes | str) -> Any:
    """The JSON value of a submitted body, or EvaluationRefused saying what is wrong with it."""
    if len(raw) > MAX_BODY_BYTES or (
        isinstance(raw, str) and len(raw.encode("utf-8", "replace")) > MAX_BODY_BYTES
    ):
        raise too_large()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _refuse(
                "invalid_encoding", f"请求内容不是UTF-8编码的文本（第 {exc.start + 1} 个字节）。"
            ) from None
    try:
        data = json.loads(raw or "null", parse_int=_integer, parse_constant=_constant)
    except _Refusal as exc:
        raise _refuse(exc.code, exc.message) from None
    except RecursionError:
        raise _refuse("too_deep", f"JSON嵌套层数过多（最多 {MAX_DEPTH} 层）。") from None
    except ValueError as exc:  # json.JSONDecodeError, and int() beyond Python's digit limit
        raise _refuse("invalid_json", f"请求内容不是有效的JSON：{exc}") from None
    problems = _shape_problems(data)
    if problems:
        raise EvaluationRefused(problems)
    return data


def _shape_problems(data: Any) -> list[dict[str, str]]:
    """Nesting too deep, or strings (keys included) with unpaired surrogates: walked without recursion."""
    problems: list[dict[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [
                {"path": path, "code": "too_deep", "message": f"JSON嵌套层数过多（最多 {MAX_DEPTH} 层）。"}
            ]
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if _encodable(key) else f"{path}.?"
                if not _encodable(key):
                    problems.append(_bad_text(child))
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str) and not _encodable(value):
            problems.append(_bad_text(path))
    return sorted(problems, key=lambda problem: problem["path"])


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bad_text(path: str) -> dict[str, str]:
    return {"path": path, "code": "invalid_character", "message": "含有无效字符（不成对的代理码位）。"}


def evaluate_submitted(data: Any, *, table: ParameterTable | None = None) -> Evaluation:
    problems = _shape_problems(data)
    if problems:
        raise EvaluationRefused(problems)
    try:
        snapshot = validate_snapshot(data)
    except SnapshotInvalid as exc:
        raise EvaluationRefused(exc.to_json()) from None
    try:
        parameters = (table or ParameterTable.load()).in_force(snapshot.region_code, snapshot.as_of)
    except ParametersMissing as exc:
        raise _refuse("no_parameters", str(exc), path="$.as_of") from None
    return evaluate(snapshot, parameters)
