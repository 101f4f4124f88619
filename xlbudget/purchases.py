"""政府采购: the optional input sheet of procurement lines, and a budget's 政府采购 figures.

A format that declares the input 政府采购明细 reads the lines (``SHEET``); its 预算说明 then states their
sums. A workbook without the sheet states the totals typed in 说明事项 (政府采购货物 …). Either
way ``figures`` is the one place the 政府采购 amounts of a budget are computed: the table's 合计
row sums the same lines, and ``checks.narrative_inputs`` (XB162) compares typed totals with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xlbudget.contract import (
    NOTE_AMOUNT_KEYS,
    PROCUREMENT_TYPES,
    PURCHASE_AMOUNTS,
    PURCHASES,
    PURCHASES_SHEET,
)
from xlbudget.model import Budget, Purchase, note_amount
from xlbudget.money import Fen, percent

NAME, SHEET = PURCHASES, PURCHASES_SHEET  # the optional input 政府采购明细 (contract.INPUTS)
AMOUNT, SME, SMALL = PURCHASE_AMOUNTS

# The 说明事项 keys of the typed totals the lines replace: one per type, then 中小企业, 小微企业.
TYPE_KEYS: dict[str, str] = dict(zip(PROCUREMENT_TYPES, NOTE_AMOUNT_KEYS[:3], strict=True))
SME_KEY, SMALL_KEY = NOTE_AMOUNT_KEYS[3:5]
KEYS = (*TYPE_KEYS.values(), SME_KEY, SMALL_KEY)
TOTAL_KEY, SME_SHARE, SMALL_SHARE = "合计", "中小企业占比", "小微企业占比"


def sums(purchases: Iterable[Purchase]) -> dict[str, Fen]:
    """The lines' sums by figure key (``KEYS``) and their 合计."""
    out = dict.fromkeys((*KEYS, TOTAL_KEY), 0)
    for p in purchases:
        out[TYPE_KEYS[p.type]] += p.amount
        out[SME_KEY] += p.sme
        out[SMALL_KEY] += p.small
        out[TOTAL_KEY] += p.amount
    return out


def figures(budget: Budget) -> dict[str, Fen | None]:
    """The budget's 政府采购 amounts by key (``KEYS`` and 合计): the lines' sums when the workbook
    has the 政府采购 sheet, else the 说明事项 totals (None where not typed; 合计 None unless all three
    types are)."""
    if budget.purchases is not None:
        return dict(sums(budget.purchases))
    typed: dict[str, Fen | None] = {key: note_amount(budget, key) for key in KEYS}
    parts = [typed[key] for key in TYPE_KEYS.values()]
    typed[TOTAL_KEY] = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
    return typed


def shares(amounts: dict[str, Fen | None]) -> dict[str, Decimal | None]:
    """面向中小企业预留 as a percentage of the 合计, and 小微企业 of the 中小企业 part (政府采购促进中小
    企业发展管理办法: the share reserved, and the share of it for 小微企业); None where either is missing
    or the whole is 0."""
    def of(part: Fen | None, whole: Fen | None) -> Decimal | None:
        return None if part is None or whole is None else percent(part, whole)

    return {SME_SHARE: of(amounts[SME_KEY], amounts[TOTAL_KEY]),
            SMALL_SHARE: of(amounts[SMALL_KEY], amounts[SME_KEY])}
