"""The 部门决算 input template (docs/template.md, “部门决算填报模板”): the sheets a clerk fills for a
final-accounts disclosure. It is a ``contract.Contract`` like the budget's, so the template writer
and the reader take it unchanged; its lines become ``model.Line`` with a ``flow`` (contract.FLOWS).

What the 决算 software exports (actual income and spending by 功能分类, carry-overs) and what only
the clerk knows (年初预算 per 项, “三公” counts, 政府采购, assets, performance, reasons) sit side by side.
"""

from __future__ import annotations

from xlbudget.contract import (
    ACCOUNTS_TITLE,
    INFO_KEYS,
    SHEET_BY_NAME,
    Column,
    Contract,
    Sheet,
)

_UNIT_CODE = Column("单位编码", kind="code", choices="单位编码", width=12, help="单位 表中的单位编码")
_FUNCTION = Column("功能分类编码", kind="code", choices="功能分类", width=30,
                   help="7位支出功能分类项级科目编码，如 2010601 行政运行")
_SOURCE = Column("资金来源", kind="choice", choices="决算资金来源", width=20,
                 help="一般公共预算、政府性基金预算、国有资本经营预算为财政拨款")
_AMOUNT = Column("金额", kind="amount", width=16, help="按基本信息中的金额单位填写")
_REASON = Column("差异原因", required=False, width=50,
                 help="决算数与年初预算数不同时，情况说明中写明的原因")

SHEETS: tuple[Sheet, ...] = (
    SHEET_BY_NAME["基本信息"],
    SHEET_BY_NAME["单位"],
    Sheet("本年收入", (_UNIT_CODE, _FUNCTION, _SOURCE, _AMOUNT),
          "各单位本年收入决算数：单位 × 功能分类 × 资金来源（部门决算软件的收入决算表）"),
    Sheet("本年支出", (
        _UNIT_CODE, _FUNCTION,
        Column("经济分类编码", required=False, kind="code", choices="部门经济分类", width=30,
               help="5位部门预算支出经济分类款级科目编码；财政拨款的基本支出必填"),
        _SOURCE,
        Column("支出类型", kind="choice", choices="支出类型", width=18),
        _AMOUNT,
        Column("项目名称", required=False, width=30, help="项目支出所属项目（项目支出决算表用）"),
        Column("备注", required=False, width=24),
    ), "各单位本年支出决算数：单位 × 功能分类 × 经济分类 × 资金来源 × 支出类型"),
    Sheet("结转结余", (
        _UNIT_CODE,
        Column("类别", kind="choice", choices="结转结余类别", width=20),
        _SOURCE,
        Column("功能分类编码", required=False, kind="code", choices="功能分类", width=30,
               help="财政拨款的结转和结余必填（7位项级科目），其他资金只填总额"),
        _AMOUNT,
    ), "年初结转和结余、使用非财政拨款结余、结余分配、年末结转和结余", required=False),
    Sheet("年初预算", (
        Column("功能分类编码", kind="code", choices="功能分类", width=30, help="7位支出功能分类项级科目编码"),
        Column("年初预算数", kind="amount", width=16, help="一般公共预算财政拨款年初预算数"),
        Column("调整预算数", required=False, kind="amount", width=16, help="年中调整后的预算数"),
        _REASON,
    ), "一般公共预算财政拨款各项级科目的年初预算、调整预算和差异原因（编制时用 --budget 给出同一年度的预算工作簿，"
       "或用 template --from 由它生成本模板，年初预算按它填写）",
        required=False),
    Sheet("项目年初预算", (
        _UNIT_CODE,
        Column("项目名称", width=30, help="与“本年支出”表中该项目的项目名称相同"),
        Column("功能分类编码", required=False, kind="code", choices="功能分类", width=30,
               help="可选：项目支出决算表按功能分类分行时填写（7位项级科目）"),
        Column("年初预算数", kind="amount", width=16, help="该项目的一般公共预算财政拨款年初预算数"),
        Column("调整预算数", required=False, kind="amount", width=16, help="年中调整后的预算数"),
        _REASON,
    ), "一般公共预算财政拨款各项目的年初预算、调整预算和差异原因（项目支出决算表用）", required=False),
    Sheet("三公经费", (
        Column("项目", kind="choice", choices="三公经费项目", width=20),
        Column("年初预算数", kind="amount", width=16, help="财政拨款“三公”经费年初预算数"),
        Column("调整预算数", required=False, kind="amount", width=16),
        _REASON,
    ), "财政拨款“三公”经费各项的年初预算数和差异原因（数量填在说明事项；--budget、template --from 按预算工作簿填写"
       "年初预算数）", required=False),
    SHEET_BY_NAME["上年数"],
    SHEET_BY_NAME["说明事项"],
)

PRIOR_KEYS = ("收入支出总计", "财政拨款收入支出总计", "一般公共预算财政拨款支出", "基本支出", "三公经费", "机关运行经费")
NOTE_KEYS = (
    "主要职能", "决算单位构成", "收入支出变动原因", "财政拨款变动原因", "一般公共预算支出变动原因",
    "三公经费变动原因", "机关运行经费变动原因",
    "因公出国团组数", "因公出国人次", "公务用车购置数", "公务用车保有量", "公务接待批次", "公务接待人次",
    "政府采购货物", "政府采购工程", "政府采购服务", "授予中小企业合同金额", "授予小微企业合同金额",
    "资产统计日期", "车辆总数", "单价100万元以上设备",
    "绩效目标项目数", "绩效目标金额", "绩效跟踪项目数", "绩效跟踪金额", "绩效自评项目数", "绩效自评金额",
    "绩效自评平均分", "部门整体绩效自评",
)

ACCOUNTS = Contract(1, SHEETS, INFO_KEYS, PRIOR_KEYS, NOTE_KEYS, ACCOUNTS_TITLE, family="决算")
