"""The dates people type, in the order tried (the first is how the app writes a date into a field).

Django's own zh_Hans list has "%Y年%n月%j日", which strptime reads as "year, whitespace, day of the
year", so "2026年10月5日" never parsed; %m and %d accept one digit as well as two (2026-1-5)."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
]
