"""The input template contract (docs/template.md): sheet names, header texts, vocabularies.

Two axes make the template a format reads, and the reader and the template writer both take the
result (``Profile.input_contract``), so the two cannot drift:

- **time** — ``CONTRACTS``: the core template (every format's sheets and keys) as it changes across
  years. A later version only adds optional inputs (``Contract.extended``), so workbooks made from an
  earlier template keep reading. ``CURRENT`` is the one templates are written in; its number is
  stamped in 基本信息 (模板版本).
- **format** — ``INPUTS``: optional inputs (sheets, columns of core sheets, 上年数 and 说明事项 keys),
  each declared once here with a Chinese name and its 填报说明. A profile lists the ones it needs
  (``inputs = [...]``); ``Contract.with_inputs`` adds exactly those. Registering a new optional input
  is one ``OptionalInput`` in ``INPUTS`` (and reading its values in ``reader``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

# 资金来源 — also the income categories.
SOURCES: tuple[str, ...] = (
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
    "财政专户管理资金",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
    "一般公共预算结转",
    "政府性基金预算结转",
    "国有资本经营预算结转",
    "其他资金结转",
    "用事业基金弥补收支差额",
)
FISCAL_CURRENT = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
FISCAL_CARRYOVER = ("一般公共预算结转", "政府性基金预算结转", "国有资本经营预算结转")
FISCAL = FISCAL_CURRENT + FISCAL_CARRYOVER  # 财政拨款
SPECIAL_ACCOUNT = ("财政专户管理资金",)
UNIT_FUNDS = tuple(s for s in SOURCES if s not in FISCAL + SPECIAL_ACCOUNT)  # 单位资金
CARRYOVER = FISCAL_CARRYOVER + ("其他资金结转", "用事业基金弥补收支差额")  # 上年结转结余
# Groups of 资金来源 a profile may name besides single sources.
SOURCE_GROUPS: dict[str, tuple[str, ...]] = {
    "财政拨款": FISCAL,
    "财政拨款本年": FISCAL_CURRENT,
    "财政拨款结转": FISCAL_CARRYOVER,
    "单位资金": UNIT_FUNDS,
    "上年结转结余": CARRYOVER,
}

UNIT_TYPES = ("行政单位", "参照公务员法管理事业单位", "事业单位", "其他")
OPERATING_COST_UNITS = UNIT_TYPES[:2]  # units whose 公用经费 are 机关运行经费 (national definition)
PROJECT_TYPES = ("其他运转类", "特定目标类")
PROCUREMENT_TYPES = ("货物", "工程", "服务")  # 政府采购 by 采购品目 type (政府采购品目分类目录)
INDICATOR_CATEGORIES = ("成本指标", "产出指标", "效益指标", "满意度指标")
AMOUNT_UNITS = ("万元", "元")

PRIOR_KEYS = (
    "收入总计", "支出总计", "财政拨款收入", "一般公共预算支出", "基本支出", "项目支出",
    "三公经费", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费",
    "机关运行经费",
)
NOTE_KEYS = (
    "主要职能", "机构设置", "收入变动原因", "财政拨款变动原因", "因公出国（境）费变动原因",
    "公务用车购置费变动原因", "公务用车运行维护费变动原因", "公务接待费变动原因",
    "机关运行经费说明", "政府采购货物", "政府采购工程", "政府采购服务", "一般公务用车",
    "一般执法执勤用车", "特种专业技术用车", "其他用车", "单价50万元以上通用设备",
    "单位价值100万元以上专用设备", "专项转移支付", "绩效目标设置情况",
)
DATE_NOTE_KEYS = ("资产统计日期",)  # 说明事项 keys holding a date, printed as 2024年8月31日
PLANNED = "拟购置"  # 说明事项 key prefix: what the budget plans to buy, e.g. 拟购置其他用车
YES_NO = ("是", "否")
# 项目经费情况说明: the sections of each marked project's statement, in the published order
STATEMENT_SECTIONS = ("项目概述", "立项依据", "实施主体", "实施方案", "实施周期", "年度预算安排")
INFO_KEYS = ("预算年度", "部门编码", "部门名称", "金额单位")

# 部门决算 (xlbudget.accounts_contract): what each line of a 决算 is (model.Line.flow) and its vocabularies.
INCOME_FLOW = "收入"
SPENDING_FLOWS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
BALANCE_FLOWS = ("年初结转和结余", "使用非财政拨款结余", "结余分配", "年末结转和结余")
BUDGET_FLOWS = ("年初预算", "调整预算")  # per 功能分类 项 of 一般公共预算财政拨款
THREE_PUBLIC_BUDGET_FLOWS = ("三公年初预算", "三公调整预算")  # per “三公” item
PROJECT_BUDGET_FLOWS = ("项目年初预算", "项目调整预算")  # per project (项目支出决算表)
PLANNED_FLOWS = (*BUDGET_FLOWS, *THREE_PUBLIC_BUDGET_FLOWS, *PROJECT_BUDGET_FLOWS)  # budgets, not 决算 money
FLOWS = (INCOME_FLOW, *SPENDING_FLOWS, *BALANCE_FLOWS, *PLANNED_FLOWS)
ACCOUNT_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "上级补助收入", "事业收入",
                   "事业单位经营收入", "附属单位上缴收入", "其他收入")
# “三公” items (and the 会议费/培训费 some formats add) → their 部门经济分类 款
THREE_PUBLIC_ITEMS: dict[str, tuple[str, ...]] = {
    "因公出国（境）费": ("30212",), "公务用车购置费": ("31013", "30913"), "公务用车运行费": ("30231",),
    "公务接待费": ("30217",), "会议费": ("30215",), "培训费": ("30216",),
}

# Sheets the template writes besides SHEETS, and its title, which records the template's year.
GUIDE_SHEET = "填报说明"
LISTS_SHEET = "_lists"
TEMPLATE_TITLE = "{year}年度部门预算填报模板"
ACCOUNTS_TITLE = "{year}年度部门决算填报模板"


@dataclass(frozen=True)
class Column:
    """One input column: its header text, whether it must be filled, its kind and help."""

    header: str
    required: bool = True
    kind: str = "text"  # text | code | amount | choice
    choices: str = ""  # name of a vocabulary in VOCABULARIES (for kind == "choice")
    width: int = 16
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    purpose: str
    required: bool = True

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)


_UNIT_CODE = Column("单位编码", kind="code", choices="单位编码", width=12, help="单位 表中的单位编码")
_FUNCTION = Column("功能分类编码", kind="code", choices="功能分类", width=30,
                   help="7位支出功能分类项级科目编码，如 2010301 行政运行")
_ECON = Column("经济分类编码", kind="code", choices="部门经济分类", width=30,
               help="5位部门预算支出经济分类款级科目编码，如 30101 基本工资")
_SOURCE = Column("资金来源", kind="choice", choices="资金来源", width=20)
_AMOUNT = Column("金额", kind="amount", width=16, help="按基本信息中的金额单位填写")
_GOV_OVERRIDE = Column("政府经济分类编码", required=False, kind="code", width=16,
                       help="可选：对照关系取决于单位类型或有歧义时填写")
_REMARK = Column("备注", required=False, width=24)

SHEETS: tuple[Sheet, ...] = (
    Sheet("基本信息", (Column("项目", width=14), Column("内容", width=40)),
          "预算年度、部门编码、部门名称、金额单位（万元 或 元）"),
    Sheet("单位", (
        Column("单位编码", kind="code", width=12),
        Column("单位名称", width=36),
        Column("单位类型", kind="choice", choices="单位类型", width=26),
    ), "部门本级及所属单位，每单位一行"),
    Sheet("收入", (_UNIT_CODE, _SOURCE, _AMOUNT), "各单位按资金来源的本年收入"),
    Sheet("基本支出", (_UNIT_CODE, _FUNCTION, _ECON, _SOURCE, _AMOUNT, _GOV_OVERRIDE, _REMARK),
          "基本支出明细：单位 × 功能分类 × 经济分类 × 资金来源"),
    Sheet("项目", (
        Column("项目编码", kind="code", width=24),
        Column("项目名称", width=36),
        Column("项目类型", kind="choice", choices="项目类型", width=14),
        _UNIT_CODE,
        _REMARK,
    ), "项目清单，每项目一行"),
    Sheet("项目支出", (
        Column("项目编码", kind="code", choices="项目编码", width=24),
        _FUNCTION, _ECON, _SOURCE, _AMOUNT, _GOV_OVERRIDE, _REMARK,
    ), "项目支出明细：项目 × 功能分类 × 经济分类 × 资金来源"),
    Sheet("绩效目标", (
        Column("项目编码", kind="code", choices="项目编码", width=24),
        Column("一级指标", kind="choice", choices="一级指标", width=12),
        Column("二级指标", width=16),
        Column("三级指标", width=36),
        Column("指标值", width=16),
    ), "项目绩效目标，每个三级指标一行"),
    Sheet("上年数", (Column("项目", width=24), Column("金额", kind="amount", required=False, width=16)),
          "上年预算数，用于预算说明中的同比", required=False),
    Sheet("说明事项", (Column("项目", width=28), Column("内容", required=False, width=80)),
          "预算说明所需的文字和数量", required=False),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
INFO_SHEET, PRIOR_SHEET, NOTES_SHEET = "基本信息", "上年数", "说明事项"  # key / value sheets


@dataclass(frozen=True)
class Contract:
    """One version of the input template: its sheets and the keys of its key/value sheets."""

    version: int
    sheets: tuple[Sheet, ...]
    info_keys: tuple[str, ...]
    prior_keys: tuple[str, ...]
    note_keys: tuple[str, ...]
    title: str = TEMPLATE_TITLE  # the template's title; {year} is its year
    family: str = "预算"  # 预算 or 决算: the document the workbook feeds
    inputs: tuple[str, ...] = ()  # the optional inputs (INPUTS) added to the core template of ``version``

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    @property
    def keyed(self) -> dict[str, tuple[str, ...]]:
        """Key/value sheets → the keys the template lists."""
        return {INFO_SHEET: self.info_keys, PRIOR_SHEET: self.prior_keys, NOTES_SHEET: self.note_keys}

    def extended(self, version: int, *, columns: Mapping[str, tuple[Column, ...]] = {},
                 sheets: tuple[Sheet, ...] = (), prior_keys: tuple[str, ...] = (),
                 note_keys: tuple[str, ...] = ()) -> Contract:
        """The next version: these inputs added (optional columns at the end of their sheet, optional
        sheets, more 上年数 / 说明事项 keys); everything of this version stays as it is."""
        if any(c.required for added in columns.values() for c in added) or any(s.required for s in sheets):
            raise ValueError("a later contract version may only add optional inputs")
        grown = tuple(replace(s, columns=s.columns + columns.get(s.name, ())) for s in self.sheets)
        return Contract(version, grown + sheets, self.info_keys, self.prior_keys + prior_keys,
                        self.note_keys + note_keys, self.title, self.family, self.inputs)

    def with_inputs(self, names: tuple[str, ...]) -> Contract:
        """This template with exactly the optional inputs ``names`` (INPUTS) added, in INPUTS' order:
        their columns at the end of their sheets, their sheets after the core ones, their keys after
        the core keys (counts held, then every count planned)."""
        unknown = [name for name in names if name not in INPUTS]
        if unknown:
            raise ValueError(f"unknown optional inputs {unknown}")
        chosen = [item for name, item in INPUTS.items() if name in names and name not in self.inputs]
        columns: dict[str, tuple[Column, ...]] = {}
        for item in chosen:
            for sheet, column in item.columns:
                columns[sheet] = columns.get(sheet, ()) + (column,)
        counts = tuple(key for item in chosen for key in item.counts)
        notes = (*(key for item in chosen for key in item.note_keys), *counts, *(PLANNED + key for key in counts))
        grown = self.extended(self.version, columns=columns, sheets=tuple(s for item in chosen for s in item.sheets),
                              prior_keys=tuple(key for item in chosen for key in item.prior_keys))
        return replace(grown, note_keys=tuple(dict.fromkeys((*self.note_keys, *notes))),
                       prior_keys=tuple(dict.fromkeys(grown.prior_keys)),
                       inputs=tuple(dict.fromkeys((*self.inputs, *(item.name for item in chosen)))))


# -- time: the core template across years -----------------------------------------------------
CONTRACT_V1 = Contract(1, SHEETS, INFO_KEYS, PRIOR_KEYS, NOTE_KEYS)
CONTRACTS: dict[int, Contract] = {c.version: c for c in (CONTRACT_V1,)}
CURRENT = CONTRACT_V1  # the template written today; a profile may name an earlier one (contract = N)
# Version numbers that no longer name a core template: 2 was version 1 with the Shanghai 预算说明's
# inputs, before formats declared their inputs. A workbook stamped 模板版本 2 reads as version 1 with
# its format's inputs; a profile's ``contract = 2`` means version 1 with these inputs. The next change
# of the core template is version 3.
LEGACY_CONTRACTS: dict[int, tuple[int, tuple[str, ...]]] = {
    2: (1, ("已设绩效目标", "功能科目用途", "项目经费情况说明", "上年财政拨款支出", "资产统计日期", "政府采购预留",
            "上海车辆分类", "单价100万元以上设备")),
}


# -- format: optional inputs a profile declares ------------------------------------------------
@dataclass(frozen=True)
class OptionalInput:
    """An input only some formats read: ``name`` (what a profile's ``inputs`` lists, in the clerk's
    words), ``guide`` (its 填报说明: what it is for and where it is filled), and what it adds to the
    template: optional sheets, optional columns at the end of core sheets, 上年数 keys, 说明事项 keys,
    and 说明事项 counts (each also asked as planned, PLANNED + key)."""

    name: str
    guide: str
    sheets: tuple[Sheet, ...] = ()
    columns: tuple[tuple[str, Column], ...] = ()  # (core sheet, optional column)
    prior_keys: tuple[str, ...] = ()
    note_keys: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()


# 政府采购明细 (xlbudget.purchases): one procurement line a row; its amount columns: 金额, 中小企业, 小微企业.
PURCHASES = "政府采购"
PURCHASE_AMOUNTS = ("金额", "面向中小企业预留金额", "其中面向小微企业预留金额")
PURCHASES_SHEET = Sheet(PURCHASES, (
    Column("单位编码", kind="code", choices="单位编码", width=12, help="单位 表中的单位编码"),
    Column("项目编码", required=False, kind="code", choices="项目编码", width=24,
           help="项目支出中的采购填写项目编码；基本支出中的采购（如办公设备）不填"),
    Column("采购项目名称", width=30),
    Column("采购品目", required=False, width=24, help="可选：政府采购品目分类目录中的品目，如 A02010104 台式计算机"),
    Column("采购类型", kind="choice", choices="采购类型", width=10, help="货物、工程或服务"),
    Column("资金来源", kind="choice", choices="资金来源", width=20),
    Column(PURCHASE_AMOUNTS[0], kind="amount", width=16, help="采购预算金额，按基本信息中的金额单位填写"),
    Column(PURCHASE_AMOUNTS[1], required=False, kind="amount", width=16,
           help="其中面向中小企业预留的金额，不超过采购金额；未预留的不填"),
    Column(PURCHASE_AMOUNTS[2], required=False, kind="amount", width=16,
           help="面向中小企业预留的金额中预留给小微企业的部分，不超过面向中小企业预留金额"),
    Column("备注", required=False, width=24),
), "政府采购预算明细：每个采购项目一行（货物、工程或服务），含面向中小企业、小微企业预留的金额", required=False)

SHANGHAI_VEHICLES = ("部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
                     "特种专业技术用车", "离退休干部用车", "其他用车")
SHANGHAI_EQUIPMENT = "单价100万元以上设备"
# The menu tables' inputs: 政府购买服务 lines and the 部门（单位）整体支出绩效目标.
SERVICES = "政府购买服务"
GOALS, TASKS, GOAL_INDICATORS = "整体绩效目标", "年度主要任务", "整体绩效指标"
# 单位编码 of a 整体绩效目标 row: whose goals it states.
_SUBJECT = Column("单位编码", required=False, kind="code", width=12,
                  help="单位的目标填单位编码，部门整体的目标填部门编码；只有一个单位的工作簿可不填")
SERVICES_SHEET = Sheet(SERVICES, (
    Column("单位编码", required=False, kind="code", choices="单位编码", width=12,
           help="购买服务的单位；填写了项目编码时可不填（取项目所属单位）"),
    Column("项目编码", required=False, kind="code", choices="项目编码", width=24,
           help="安排购买服务的项目；基本支出中的购买服务不填"),
    Column("一级目录", width=24, help="政府购买服务指导性目录的一级目录，如 公共服务、政府履职辅助性服务（按本地目录填写）"),
    Column("二级目录", required=False, width=30, help="指导性目录的二级目录，如 公共安全服务、课题研究和社会调查"),
    Column("资金来源", kind="choice", choices="资金来源", width=20),
    Column("金额", kind="amount", width=16, help="按基本信息中的金额单位填写"),
    Column("备注", required=False, width=24),
), "政府购买服务预算：每个项目（或单位基本支出）× 指导性目录 × 资金来源一行", required=False)
GOAL_SHEETS = (
    Sheet(GOALS, (_SUBJECT, Column("年度总体目标", width=80, help="部门（单位）本年度的总体绩效目标，一段文字")),
          "部门（单位）整体支出的年度总体目标，每个部门或单位一行", required=False),
    Sheet(TASKS, (
        _SUBJECT,
        Column("任务名称", width=30),
        Column("主要内容", required=False, width=50),
        Column("资金来源", required=False, kind="choice", choices="资金来源", width=20,
               help="可选：任务的预算按资金来源分行填写（同一任务名称填多行）"),
        Column("金额", required=False, kind="amount", width=16, help="可选：任务的预算金额，按基本信息中的金额单位填写"),
    ), "部门（单位）的年度主要任务，每个任务（或任务 × 资金来源）一行", required=False),
    Sheet(GOAL_INDICATORS, (
        _SUBJECT,
        Column("一级指标", kind="choice", choices="一级指标", width=12),
        Column("二级指标", required=False, width=16),
        Column("三级指标", width=36),
        Column("指标值", width=16),
        Column("指标方向", required=False, width=10, help="可选：如 ≥、≤、＝、定性"),
        Column("度量单位", required=False, width=10, help="可选：如 %、次、万元"),
    ), "部门（单位）整体绩效指标，每个三级指标一行", required=False),
)

# Every optional input, in the order the template lists them. To register one, add it here.
INPUTS: dict[str, OptionalInput] = {i.name: i for i in (
    OptionalInput("已设绩效目标", "“项目”表末尾的“已设绩效目标”列：项目已设置绩效目标、但指标不在“绩效目标”表逐条填写时填“是”",
                  columns=(("项目", Column("已设绩效目标", required=False, kind="choice", choices="是否", width=12,
                                          help="已设置绩效目标但未在“绩效目标”表逐条填写指标时填“是”")),)),
    OptionalInput("功能科目用途", "“功能科目用途”表：预算说明逐项列出财政拨款的项级科目及其主要用途，每科目一行",
                  sheets=(Sheet("功能科目用途", (
                      Column("功能分类编码", kind="code", choices="功能分类", width=30, help="7位支出功能分类项级科目编码"),
                      Column("主要用途", width=60, help="预算说明中该科目“主要用于……”的内容"),
                  ), "预算说明逐项列出的项级科目的主要用途，每科目一行", required=False),)),
    OptionalInput("项目经费情况说明", "“项目经费情况说明”表：预算说明中公开经费情况说明的项目，每项目一行，按"
                  f"{'、'.join(STATEMENT_SECTIONS)}分列填写",
                  sheets=(Sheet("项目经费情况说明", (
                      Column("项目编码", kind="code", choices="项目编码", width=24),
                      *(Column(section, required=False, width=40) for section in STATEMENT_SECTIONS),
                  ), "预算说明中公开经费情况说明的项目，每项目一行", required=False),)),
    OptionalInput("上年财政拨款支出", "“上年数”中的财政拨款支出、政府性基金预算支出、国有资本经营预算支出：预算说明与上年比较",
                  prior_keys=("财政拨款支出", "政府性基金预算支出", "国有资本经营预算支出")),
    OptionalInput("资产统计日期", "“说明事项”中的资产统计日期：预算说明中国有资产占用情况的截止日期，如 2024年8月31日",
                  note_keys=("资产统计日期",)),
    OptionalInput("政府采购预留", "“说明事项”中政府采购预算面向中小企业预留的金额，及其中面向小微企业的金额",
                  note_keys=("政府采购预留中小企业", "政府采购预留小微企业")),
    OptionalInput("上海车辆分类", f"“说明事项”中按上海的车辆分类（{'、'.join(SHANGHAI_VEHICLES)}）填写的"
                  f"现有车辆数和{PLANNED}数", counts=SHANGHAI_VEHICLES),
    OptionalInput(SERVICES, "“政府购买服务”表：政府购买服务预算表逐行列示的购买服务，每个项目（或单位基本支出）× 指导性目录"
                  "一级/二级目录 × 资金来源一行", sheets=(SERVICES_SHEET,)),
    OptionalInput(GOALS, "“整体绩效目标”“年度主要任务”“整体绩效指标”三表：部门（单位）整体支出绩效目标表的年度总体目标、"
                  "年度主要任务及其预算、绩效指标；单位编码写明是谁的目标（单位编码，部门整体填部门编码）",
                  sheets=GOAL_SHEETS),
    OptionalInput("政府采购明细", "“政府采购”表：政府采购预算表逐行列示的采购项目，每行一个（货物、工程或服务），"
                  "含面向中小企业、小微企业预留的金额；预算说明中的政府采购金额和预留占比是各行之和，说明事项中的"
                  "政府采购金额不必再填", sheets=(PURCHASES_SHEET,)),
    OptionalInput("单价100万元以上设备", f"“说明事项”中单价100万元以上设备的现有数和{PLANNED}数",
                  counts=(SHANGHAI_EQUIPMENT,)),
)}
# 说明事项 keys that hold an amount (in the workbook's 金额单位 unless the text names 万元 or 元) or a
# count (车辆, 设备: held, and planned with PLANNED); a 部门 merged from unit workbooks adds them up.
NOTE_AMOUNT_KEYS = ("政府采购货物", "政府采购工程", "政府采购服务", "政府采购预留中小企业", "政府采购预留小微企业")
_HELD = tuple(dict.fromkeys(("一般公务用车", "一般执法执勤用车", "特种专业技术用车", "其他用车",
                             "单价50万元以上通用设备", "单位价值100万元以上专用设备",
                             *(key for i in INPUTS.values() for key in i.counts))))
NOTE_COUNT_KEYS = _HELD + tuple(PLANNED + key for key in _HELD)


def input_of(key: str) -> str:
    """The optional input that brings ``key`` (a sheet, a column header, a 上年数 or 说明事项 key); "" if none."""
    for item in INPUTS.values():
        keys = (*(s.name for s in item.sheets), *(c.header for _, c in item.columns), *item.prior_keys,
                *item.note_keys, *item.counts, *(PLANNED + k for k in item.counts))
        if key in keys:
            return item.name
    return ""


EVERY_INPUT = CURRENT.with_inputs(tuple(INPUTS))  # every sheet and column a budget workbook may have


def note_label(key: str, unit: str) -> str:
    """The 说明事项 row label the template writes: an amount key says its unit, “政府采购货物（元）”."""
    return f"{key}（{unit}）" if key in NOTE_AMOUNT_KEYS else key


def split_note_label(label: str) -> tuple[str, str]:
    """(key, unit) of a 说明事项 label: “政府采购货物（万元）” → (政府采购货物, 万元); a label without a
    unit (templates before the unit was written) → (label, "")."""
    for unit in AMOUNT_UNITS:
        for opening, closing in (("（", "）"), ("(", ")")):
            if label.endswith(opening + unit + closing):
                return label[:-len(opening + unit + closing)].strip(), unit
    return label, ""


VOCABULARIES: dict[str, tuple[str, ...]] = {
    "资金来源": SOURCES,
    "单位类型": UNIT_TYPES,
    "项目类型": PROJECT_TYPES,
    "采购类型": PROCUREMENT_TYPES,
    "一级指标": INDICATOR_CATEGORIES,
    "金额单位": AMOUNT_UNITS,
    "是否": YES_NO,
    "决算资金来源": ACCOUNT_SOURCES,
    "支出类型": SPENDING_FLOWS,
    "结转结余类别": BALANCE_FLOWS,
    "三公经费项目": tuple(THREE_PUBLIC_ITEMS),
}
