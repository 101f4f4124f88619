"""部门决算 rules: the identities every 决算 must satisfy, checked on the clerk's data (so each
finding points at a row of the 决算 workbook), and plausibility warnings.

The nine tables are derived from the same lines, so their rows add up (项 → 款 → 类 → 合计, 支出合计 =
its five parts, “三公” 合计 = its items) by construction; what can break an identity is the data:
totals that do not balance, a 财政拨款 fund whose carry-over does not follow, a 基本支出 line whose
经济分类 the 基本支出决算表 cannot show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from xlbudget import contract
from xlbudget.catalog import FUNCTIONAL
from xlbudget.checks.base import Context, Rule, check
from xlbudget.checks.catalog import BASIC_ECON_CLASSES
from xlbudget.findings import ERROR, INFO, WARNING, Finding, Location
from xlbudget.model import Line
from xlbudget.money import Fen
from xlbudget.reading.rules import ACCOUNTS as FAMILY
from xlbudget.tables.accounts_totals import AccountsTotalsSpec
from xlbudget.tables.base import MONEY
from xlbudget.tables.econ_sides import EconSidesSpec
from xlbudget.tables.projects import ProjectsSpec
from xlbudget.tables.spec import TableSpec

FISCAL = contract.FISCAL_CURRENT
SPENDING = frozenset(contract.SPENDING_FLOWS)
BALANCE_SHEET, BUDGET_SHEET, THREE_PUBLIC_SHEET, UNITS_SHEET = "结转结余", "年初预算", "三公经费", "单位"
PROJECT_NAME = "项目名称"
FAR = Decimal("0.10")  # a 决算 this far from its 年初预算 (a share of it) needs a reason

def _side(lines: Iterable[Line], flows: Iterable[str]) -> Fen:
    wanted = set(flows)
    return sum(line.amount for line in lines if line.flow in wanted)


def _by(ctx: Context, key: str) -> dict[tuple[str, ...], list[Line]]:
    """The 决算 lines (no 预算 lines) grouped by unit, and by fund when ``key`` is "fund", or by fund
    and 功能分类 项 when "function"."""
    groups: dict[tuple[str, ...], list[Line]] = defaultdict(list)
    for line in ctx.budget.lines:
        if line.flow in contract.PLANNED_FLOWS:
            continue
        if key == "unit":
            groups[(line.unit,)].append(line)
        elif key == "fund":
            groups[(line.unit, line.source)].append(line)
        else:
            groups[(line.unit, line.source, line.function)].append(line)
    return groups


def _place(ctx: Context, lines: list[Line], unit: str) -> Location:
    """Where a group's imbalance is shown: its 年末结转和结余 row, else its first income row, else its
    first line, else the unit's row."""
    for flows in (("年末结转和结余",), (contract.INCOME_FLOW,), contract.FLOWS):
        line = next((x for x in lines if x.flow in flows), None)
        if line is not None:
            return line.where
    found = ctx.budget.unit(unit)
    return ctx.cell(found.where, "单位编码") if found else ctx.sheet(UNITS_SHEET)


def _imbalance(ctx: Context, rule: Rule, what: str, lines: list[Line], unit: str,
               left: tuple[str, ...], right: tuple[str, ...]) -> Finding | None:
    have, need = _side(lines, left), _side(lines, right)
    if have == need:
        return None
    return rule.finding(
        f"{what}：{'＋'.join(left)} {ctx.amount(have)}，{'＋'.join(right)} {ctx.amount(need)}，相差 {ctx.amount(abs(have - need))}",
        _place(ctx, lines, unit), expected=ctx.amount(have), actual=ctx.amount(need),
        difference=ctx.amount(have - need), unit=unit)


def _imbalances(ctx: Context, rule: Rule, key: str, keep: Callable[[tuple[str, ...], list[Line]], bool],
                what: Callable[[tuple[str, ...]], str], left: tuple[str, ...], right: tuple[str, ...]
                ) -> Iterator[Finding]:
    """The groups of lines (``_by`` ``key``) that ``keep`` selects whose two sides differ."""
    for group, lines in sorted(_by(ctx, key).items()):
        if keep(group, lines):
            found = _imbalance(ctx, rule, what(group), lines, group[0], left, right)
            if found:
                yield found


INCOME_SIDE = (contract.INCOME_FLOW, "使用非财政拨款结余", "年初结转和结余")
OUTLAY_SIDE = (*contract.SPENDING_FLOWS, "结余分配", "年末结转和结余")


@check(Rule("XB702", ERROR, "决算收支总计不平衡",
            "核对本年收入、本年支出和“结转结余”表的年初、年末结转和结余，使两边总计相等。", FAMILY))
def totals_balance(ctx: Context) -> Iterator[Finding]:
    """每个单位：本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 本年支出合计 + 结余分配 + 年末结转和结余
    （收入支出决算总表的“总计”两边相等）。问题标在该单位年末结转和结余的行（没有时标在收入行）。"""
    yield from _imbalances(ctx, totals_balance.rule, "unit", lambda group, lines: True,
                           lambda group: f"单位“{ctx.unit_label(group[0])}”收支总计不平衡", INCOME_SIDE, OUTLAY_SIDE)


FISCAL_IN = (contract.INCOME_FLOW, "年初结转和结余")
FISCAL_OUT = (*contract.SPENDING_FLOWS, "年末结转和结余")


@check(Rule("XB703", ERROR, "财政拨款收支不平衡",
            "核对该资金的财政拨款收入、支出和年初、年末财政拨款结转和结余。", FAMILY))
def fiscal_balance(ctx: Context) -> Iterator[Finding]:
    """每个单位的每类财政拨款（一般公共预算、政府性基金预算、国有资本经营预算）：本年收入 + 年初财政拨款
    结转和结余 = 本年支出 + 年末财政拨款结转和结余（财政拨款收入支出决算总表）。"""
    yield from _imbalances(ctx, fiscal_balance.rule, "fund", lambda group, lines: group[1] in FISCAL,
                           lambda group: f"单位“{ctx.unit_label(group[0])}”的{group[1]}财政拨款不平衡", FISCAL_IN, FISCAL_OUT)


@check(Rule("XB704", ERROR, "财政拨款分科目收支不平衡",
            "核对该科目的财政拨款收入、支出和结转结余是否填在了正确的功能分类科目下。", FAMILY))
def fiscal_balance_by_function(ctx: Context) -> Iterator[Finding]:
    """财政拨款按功能分类项级科目也须平衡：年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余（政府性
    基金预算、国有资本经营预算财政拨款收入支出决算表的每一行；收入决算表与支出决算表的财政拨款）。只在该
    资金的总额平衡（XB703 无问题）时检查，以便指出填错科目的行。"""
    units = {f.unit for f in ctx.found if f.code == fiscal_balance.rule.id}

    def what(group: tuple[str, ...]) -> str:
        unit, fund, function = group
        name = ctx.budget.catalog.name(FUNCTIONAL, function)
        return f"单位“{ctx.unit_label(unit)}”的{fund}财政拨款在“{function} {name}”不平衡"

    yield from _imbalances(ctx, fiscal_balance_by_function.rule, "function",
                           lambda group, lines: group[1] in FISCAL and group[0] not in units, what, FISCAL_IN, FISCAL_OUT)


@check(Rule("XB705", ERROR, "财政拨款基本支出的经济分类不在人员经费或公用经费中",
            "基本支出只用 301、302、303、310 类经济分类；其他支出应作为项目支出填写。", FAMILY))
def basic_econ(ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款支出决算表的基本支出 = 基本支出决算表的人员经费合计（301、303）+ 公用经费合计
    （302、310）。财政拨款基本支出行的经济分类属于其他类时，两表不等。"""
    for line in ctx.budget.lines:
        if line.flow == "基本支出" and line.source in FISCAL and line.econ and line.econ_class not in BASIC_ECON_CLASSES:
            yield basic_econ.rule.finding(
                f"财政拨款基本支出的经济分类“{line.econ} {ctx.budget.econ_name(line.econ)}”不属于"
                f"{'、'.join(BASIC_ECON_CLASSES)}类", ctx.cell(line.where, "经济分类编码"),
                expected="、".join(BASIC_ECON_CLASSES), actual=line.econ, unit=line.unit)


def general_by_function(ctx: Context) -> dict[str, tuple[Fen | None, Fen, Line | None]]:
    """功能分类 项 → (年初预算, 一般公共预算财政拨款支出决算, its 年初预算 line)."""
    out: dict[str, tuple[Fen | None, Fen, Line | None]] = {}
    for line in ctx.budget.lines:
        budget, spent, row = out.get(line.function, (None, 0, None))
        if line.flow == "年初预算":
            out[line.function] = ((budget or 0) + line.amount, spent, row or line)
        elif line.flow in SPENDING and line.source == "一般公共预算":
            out[line.function] = (budget, spent + line.amount, row)
    return out


def is_far(budget: Fen, spent: Fen) -> bool:
    """Whether a 决算 is far enough from its 年初预算 to need a reason (``FAR``; any 决算 of a zero 年初预算)."""
    return spent != budget if budget == 0 else abs(Decimal(spent - budget)) >= FAR * budget


@check(Rule("XB706", WARNING, "决算数与年初预算相差较大但未说明原因",
            "在“年初预算”表该科目的“差异原因”列写明原因（情况说明逐项说明）。", FAMILY))
def far_from_budget(ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款支出的每个项级科目，决算数与年初预算数相差 10% 以上（或年初预算为 0 而有
    决算数）时，情况说明须说明原因：“年初预算”表中该科目的“差异原因”须填写。没有“年初预算”表的决算不检查
    。"""
    for code, (budget, spent, row) in sorted(general_by_function(ctx).items()):
        if budget is None or ctx.budget.reasons.get(code):
            continue
        if is_far(budget, spent):
            name = ctx.budget.catalog.name(FUNCTIONAL, code)
            where = ctx.cell(row.where, "差异原因") if row else ctx.sheet(BUDGET_SHEET)
            yield far_from_budget.rule.finding(
                f"“{code} {name}”年初预算 {ctx.amount(budget)}，决算 {ctx.amount(spent)}，相差超过年初预算的 10%，"
                "未填写差异原因", where, expected=ctx.amount(budget), actual=ctx.amount(spent),
                difference=ctx.amount(spent - budget))


@check(Rule("XB707", WARNING, "年末结转和结余与年初结转、收入、支出不衔接",
            "核对该资金来源的年末结转和结余：通常 = 年初结转和结余 + 本年收入 − 本年支出 − 结余分配 + 使用非财政拨款结余。",
            FAMILY))
def carryover_follows(ctx: Context) -> Iterator[Finding]:
    """非财政拨款资金（事业收入、经营收入、其他收入等）的每个资金来源：年末结转和结余一般等于年初结转和
    结余 + 本年收入 + 使用非财政拨款结余 − 本年支出 − 结余分配。资金来源之间调剂时可以不等，所以是提醒；
    各单位总计的平衡由 XB702 检查（总计不平衡的单位不再提醒）。"""
    units = {f.unit for f in ctx.found if f.code == totals_balance.rule.id}

    def keep(group: tuple[str, ...], lines: list[Line]) -> bool:
        return group[1] not in FISCAL and group[0] not in units and any(x.flow in contract.BALANCE_FLOWS for x in lines)

    yield from _imbalances(ctx, carryover_follows.rule, "fund", keep,
                           lambda group: f"单位“{ctx.unit_label(group[0])}”的“{group[1]}”结转和结余不衔接",
                           INCOME_SIDE, OUTLAY_SIDE)


@check(Rule("XB708", WARNING, "“三公”经费有决算数但没有年初预算数",
            "在“三公经费”表填写该项的年初预算数（为 0 的填 0），并在差异原因中说明。", FAMILY))
def three_public_budget(ctx: Context) -> Iterator[Finding]:
    """财政拨款“三公”经费支出决算表对每一项列出预算数和决算数，情况说明逐项比较：有财政拨款决算数的
    “三公”项目须在“三公经费”表中填写年初预算数。"""
    budgeted = {line.econ for line in ctx.budget.lines if line.flow in contract.THREE_PUBLIC_BUDGET_FLOWS}
    for item, codes in list(contract.THREE_PUBLIC_ITEMS.items())[:4]:  # 会议费/培训费 are “三公” only in some formats
        spent = [line for line in ctx.budget.lines
                 if line.flow in SPENDING and line.source in FISCAL and line.econ in codes]
        if spent and codes[0] not in budgeted:
            yield three_public_budget.rule.finding(
                f"“{item}”财政拨款决算 {ctx.amount(sum(x.amount for x in spent))}，“三公经费”表中没有它的年初预算数",
                ctx.cell(spent[0].where, "经济分类编码"), actual=item)


@check(Rule("XB709", INFO, "决算数与年初预算不同，未填写差异原因",
            "在“年初预算”或“三公经费”表的“差异原因”列写明原因。", FAMILY))
def unexplained_differences(ctx: Context) -> Iterator[Finding]:
    """情况说明逐项写明“年初预算为X万元，支出决算为Y万元，完成年初预算的Z%”及差异原因。决算数与年初
    预算数不同而没有填写差异原因的科目，说明中只写数字、不写原因（相差 10% 以上的另由 XB706 提醒）。"""
    for code, (budget, spent, row) in sorted(general_by_function(ctx).items()):
        if budget is None or spent == budget or ctx.budget.reasons.get(code) or row is None or is_far(budget, spent):
            continue
        name = ctx.budget.catalog.name(FUNCTIONAL, code)
        yield unexplained_differences.rule.finding(
            f"“{code} {name}”年初预算 {ctx.amount(budget)}，决算 {ctx.amount(spent)}，未填写差异原因",
            ctx.cell(row.where, "差异原因"), expected=ctx.amount(budget), actual=ctx.amount(spent))


def _project_tables(ctx: Context) -> list[ProjectsSpec]:
    """The profile's project tables that print 项目支出 (a 项目支出决算表)."""
    return [spec for spec in ctx.layout.tables if isinstance(spec, ProjectsSpec)
            and (spec.filter.flow is None or "项目支出" in spec.filter.flow)]


@check(Rule("XB710", WARNING, "项目支出决算表缺少项目信息",
            "在“本年支出”表的项目支出行填写项目名称；项目支出决算表按功能分类分行时，在“项目年初预算”表填写功能分类编码。",
            FAMILY))
def project_identity(ctx: Context) -> Iterator[Finding]:
    """格式印项目支出决算表时，每笔项目支出须写明所属项目（“本年支出”表的项目名称），否则只能列在
    “（未填写项目名称）”下；该表按功能分类分行时，项目的年初预算也须写明功能分类，才能与决算数列在同一行。
    格式不印项目支出决算表时不检查。"""
    tables = _project_tables(ctx)
    if not tables:
        return
    for line in ctx.budget.lines:
        if line.flow == "项目支出" and not line.project:
            yield project_identity.rule.finding(
                f"项目支出 {ctx.amount(line.amount)} 没有填写项目名称，项目支出决算表无法列在所属项目下",
                ctx.cell(line.where, PROJECT_NAME), actual=ctx.amount(line.amount), unit=line.unit)
    if any("function" in spec.codes for spec in tables):
        for line in ctx.budget.lines:
            if line.flow in contract.PROJECT_BUDGET_FLOWS and not line.function:
                project = ctx.budget.project(line.project)
                yield project_identity.rule.finding(
                    f"项目“{project.name if project else line.project}”的年初预算没有填写功能分类编码，项目支出决算表"
                    "按功能分类分行，无法与决算数列在同一行", ctx.cell(line.where, "功能分类编码"), unit=line.unit)


@check(Rule("XB711", WARNING, "有年初预算的项目没有决算支出",
            "核对“项目年初预算”表的项目名称是否与“本年支出”表一致；确实全年未支出的，在差异原因中说明。", FAMILY))
def project_without_spending(ctx: Context) -> Iterator[Finding]:
    """“项目年初预算”表中的项目在“本年支出”表中没有任何项目支出时，多半是两表的项目名称写得不一致（项目
    支出决算表会把同一项目列成两行：一行只有年初预算，一行只有决算数）；确实未支出的，须写明差异原因。"""
    spent = {line.project for line in ctx.budget.lines if line.flow == "项目支出"}
    for line in ctx.budget.lines:
        if (line.flow == contract.PROJECT_BUDGET_FLOWS[0] and line.project not in spent
                and not ctx.budget.reasons.get(line.project)):
            project = ctx.budget.project(line.project)
            name = project.name if project else line.project
            yield project_without_spending.rule.finding(
                f"项目“{name}”年初预算 {ctx.amount(line.amount)}，“本年支出”表中没有该项目的支出",
                ctx.cell(line.where, PROJECT_NAME), expected=name, unit=line.unit)


def _takes(spec: TableSpec, line: Line, ctx: Context) -> bool:
    """Whether a table of the profile prints ``line`` in one of its amounts."""
    budget = ctx.budget
    if isinstance(spec, AccountsTotalsSpec):  # fixed rows at left, 类 rows of its flows at right
        rows = (*spec.income_rows, *spec.income_after, *spec.expenditure_after)
        return (any(row.filter.matches(line, budget) for row in rows)
                or (spec.expenditure_flows is not None and line.flow in spec.expenditure_flows))
    if not spec.filter.matches(line, budget):
        return False
    return isinstance(spec, EconSidesSpec) or any(
        column.kind == MONEY and column.filter.matches(line, budget) for column in spec.columns)


UNPRINTED = frozenset(contract.PLANNED_FLOWS) - {contract.BUDGET_FLOWS[0]}  # 年初预算 per 项: the 情况说明 reads it


@check(Rule("XB712", INFO, "填写的预算数本格式的公开表不列示",
            "无需处理；本地区的公开表确实列示这些数时，在格式配置中加上相应的列或表（docs/profiles.md“部门决算”）。",
            FAMILY))
def unprinted_budgets(ctx: Context) -> Iterator[Finding]:
    """调整预算数、项目年初预算和会议费、培训费的预算数只在格式印相应的列或表时公开（地区开关）；格式不印时，
    填写的这些数不出现在公开表和情况说明中。每张工作表报告一次，指向第一个这样的数。各项的年初预算数
    不在此列：情况说明逐项比较它。"""
    found: dict[str, list[Line]] = defaultdict(list)
    for line in ctx.budget.lines:
        if line.flow in UNPRINTED and not any(_takes(spec, line, ctx) for spec in ctx.layout.tables):
            found[line.where.sheet].append(line)
    for sheet, lines in found.items():
        first = lines[0].where  # a 年初预算 taken from the budget workbook (--budget) may have no cell of its own
        at = f"（{first.column}{first.row} 等）" if first.row else ""
        yield unprinted_budgets.rule.finding(
            f"“{sheet}”表的 {len(lines)} 个预算数{at}不在本格式的公开表中，不会公开", first, actual=str(len(lines)))


CHECKS = (totals_balance, fiscal_balance, fiscal_balance_by_function, basic_econ, far_from_budget,
          carryover_follows, three_public_budget, unexplained_differences, project_identity, project_without_spending,
          unprinted_budgets)
