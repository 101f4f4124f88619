"""政府采购: the optional input sheet of procurement lines, and a budget's 政府采购 figures.

A format that prints a 政府采购预算表 reads the lines (``SHEET``); its 预算说明 then states their
sums. A workbook without the sheet states the totals typed in 说明事项 (政府采购货物 …). Either
way ``figures`` is the one place the 政府采购 amounts of a budget are computed: the table's 合计
row sums the same lines, and ``checks.procurement`` compares typed totals with the lines' sums.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xlbudget.contract import NOTE_AMOUNT_KEYS, PROCUREMENT_TYPES, Column, Sheet
from xlbudget.model import Budget, Purchase, note_amount
from xlbudget.money import Fen, percent

NAME = "政府采购"
AMOUNT, SME, SMALL = "金额", "面向中小企业预留金额", "其中面向小微企业预留金额"
SHEET = Sheet(NAME, (
    Column("单位编码", kind="code", choices="单位编码", width=12, help="单位 表中的单位编码"),
    Column("项目编码", required=False, kind="code", choices="项目编码", width=24,
           help="项目支出中的采购填写项目编码；基本支出中的采购（如办公设备）不填"),
    Column("采购项目名称", width=30),
    Column("采购品目", required=False, width=24, help="可选：政府采购品目分类目录中的品目，如 A02010104 台式计算机"),
    Column("采购类型", kind="choice", choices="采购类型", width=10, help="货物、工程或服务"),
    Column("资金来源", kind="choice", choices="资金来源", width=20),
    Column(AMOUNT, kind="amount", width=16, help="采购预算金额，按基本信息中的金额单位填写"),
    Column(SME, required=False, kind="amount", width=16,
           help="其中面向中小企业预留的金额，不超过采购金额；未预留的不填"),
    Column(SMALL, required=False, kind="amount", width=16,
           help="面向中小企业预留的金额中预留给小微企业的部分，不超过面向中小企业预留金额"),
    Column("备注", required=False, width=24),
), "政府采购预算明细：每个采购项目一行（货物、工程或服务），含面向中小企业、小微企业预留的金额", required=False)

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
