"""Whether a workbook's amounts fit its declared 金额单位: a 万元 workbook typed in 元 (or the
reverse) is a budget ten thousand times too large (or small) that is otherwise consistent, so
only the typical size of its amounts can tell. Judged per workbook, after reading, on the budget
as a whole (docs/rules.md XB143, XB144)."""

from __future__ import annotations

from statistics import median_low

from xlbudget.contract import NOTE_AMOUNT_KEYS
from xlbudget.findings import Finding, Location
from xlbudget.model import Budget, note_amount, note_unit, total
from xlbudget.money import FEN_PER_UNIT, Fen, fmt
from xlbudget.reading.rules import NOTE_AMOUNT_IMPLAUSIBLE, UNIT_LOOKS_WRONG

YUAN = 100  # 分
TYPICAL_LINE = (200 * YUAN, 50_000_000 * YUAN)  # a real budget's median line amount lies in [low, high)
MIN_LINES = 5  # fewer non-zero lines (a real budget has dozens) say nothing about a typical amount
NOTE_SHARE = 100_000  # a 说明事项 amount below 1/NOTE_SHARE of the spending is implausible
RATIO = FEN_PER_UNIT["万元"] // FEN_PER_UNIT["元"]  # 10,000


def _typical(fen: Fen) -> bool:
    return TYPICAL_LINE[0] <= fen < TYPICAL_LINE[1]


def _other(unit: str) -> str:
    return "元" if unit == "万元" else "万元"


def _reread(fen: Fen, unit: str) -> Fen:
    """``fen`` (read in ``unit``) read in the other unit: the same typed number, ten thousand times
    smaller or larger (below 1 分 dropped: for messages only)."""
    return fen // RATIO if unit == "万元" else fen * RATIO


def implausible_unit(budget: Budget) -> list[Finding]:
    """XB143 when the median line amount is atypical as declared and typical in the other unit."""
    amounts = [line.amount for line in budget.lines if line.amount]
    if len(amounts) < MIN_LINES:
        return []
    middle, spent, unit = median_low(amounts), sum(amounts), budget.amount_unit
    if _typical(middle) or not _typical(_reread(middle, unit)):
        return []
    other = _other(unit)
    return [UNIT_LOOKS_WRONG.finding(
        f"基本信息“金额单位”为{unit}，但金额看起来是按{other}填写的：按{unit}读，支出明细的中位数为 "
        f"{fmt(middle)} 万元、支出合计 {fmt(spent)} 万元；按{other}读，中位数为 {fmt(_reread(middle, unit))} 万元、"
        f"支出合计 {fmt(_reread(spent, unit))} 万元", budget.unit_where,
        expected=other, actual=unit)]


def implausible_notes(budget: Budget) -> list[Finding]:
    """XB144 for each 政府采购 amount outside [spending / NOTE_SHARE, spending] that the other unit
    would bring inside."""
    spent = total(budget.lines)
    low = spent // NOTE_SHARE
    findings = []
    for key in NOTE_AMOUNT_KEYS:
        amount, unit = note_amount(budget, key), note_unit(budget, key)
        if not amount or low <= amount <= spent or not low <= _reread(amount, unit) <= spent:
            continue
        other = _other(unit)
        findings.append(NOTE_AMOUNT_IMPLAUSIBLE.finding(
            f"说明事项“{key}”为“{budget.notes[key]}”，按{unit}读为 {fmt(amount, unit)} {unit}，而全部支出为 "
            f"{fmt(spent)} 万元；如是按{other}填写的，应为 {fmt(_reread(amount, unit), other)} {other}",
            budget.key_cells.get("说明事项", {}).get(key) or Location("说明事项", file=budget.unit_where.file), expected=other, actual=unit))
    return findings
