"""Balance rules: income equals expenditure per unit and source, and every identity of the
derived tables holds on the figures as displayed (万元, 2 decimals, rounded once).

When the input is finer than the display (元, or 万元 with more than 2 decimals) a displayed
figure stands for an interval: x shown as 0.03 is anywhere in [0.025, 0.035). As in XBRL
calculation 1.1, a total is consistent with its parts when the intervals can meet, i.e. when
|total − Σ parts| ≤ the half-units of the figures that were rounded. Such a rounding tail is
reported as info naming the cells; only a difference beyond it is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise, repeat
from typing import cast

from xlbudget.checks.base import Context, Rule, check, shown, shown_fen
from xlbudget.display import table_unit
from xlbudget.findings import ERROR, INFO, WARNING, Finding, Location
from xlbudget.layout import Cell, disclosure_cell
from xlbudget.money import DISPLAY_DECIMALS, DISPLAY_UNIT, Fen, display_step, fmt, to_display, to_exact
from xlbudget.tables.base import CODE, DEPARTMENT, GROUP, MONEY, TEXT, TOTAL, UNIT, Table

FAMILY = "平衡"
HALF = Decimal(1).scaleb(-DISPLAY_DECIMALS) / 2  # half a displayed unit: 0.005 万元
MAX_TAILS = 20  # rounding tails whose cells are named in a table's one XB303
TOTAL_ROLE, PART_ROLE = "total", "part"  # a money column's role (ColumnSpec.role)
_SPACE = re.compile(r"\s+")
MAX_PARTS_NAMED = 8
# Table identities are checked only on error-free data, so a failure is the compiler's fault.
BUG_HINT = ("填报数据没有错误时仍出现此问题，说明公开表编制有误（程序或格式配置的问题）："
            "请把填报工作簿和本报告发给维护人员。")

# -- income = expenditure --------------------------------------------------------------------


@check(Rule("XB301", ERROR, "收支不平衡", "核对该单位该资金来源的收入金额和各支出行的金额，使两者相等。",
            FAMILY))
def income_equals_expenditure(ctx: Context) -> Iterator[Finding]:
    """每个单位的每个资金来源，收入表中的收入必须等于基本支出和项目支出中该来源支出之和（精确到分，
    不允许任何差额）。项目支出按项目所属单位归属。单位编码未登记时（XB122），该编码的收支不单独核对；
    全部门该资金来源的收入与支出相等时，各单位的差额由该编码引起，也不另行报告。"""
    b = ctx.budget
    income: dict[tuple[str, str], Fen] = {}
    spent: dict[tuple[str, str], Fen] = {}
    first_row: dict[tuple[str, str], Location] = {}
    for item in b.incomes:
        key = (item.unit, item.source)
        income[key] = income.get(key, 0) + item.amount
        first_row.setdefault(key, item.where)
    for line in b.lines:
        key = (line.unit, line.source)
        spent[key] = spent.get(key, 0) + line.amount
    explained = _explained_sources(ctx, income, spent)
    for key in sorted(income.keys() | spent.keys()):
        got, used = income.get(key, 0), spent.get(key, 0)
        if got != used and key[0] not in ctx.unregistered_units and key[1] not in explained:
            yield _imbalance(ctx, key, got, used, first_row.get(key))


def _explained_sources(ctx: Context, income: dict[tuple[str, str], Fen], spent: dict[tuple[str, str], Fen]) -> set[str]:
    """资金来源 whose per-unit imbalances an unregistered unit code explains (XB122): money of an
    unregistered unit, and the whole department's income and expenditure of the source are equal."""
    touched = {source for unit, source in income.keys() | spent.keys() if unit in ctx.unregistered_units}
    return {source for source in touched
            if sum(v for (_, s), v in income.items() if s == source) == sum(v for (_, s), v in spent.items() if s == source)}


def _imbalance(ctx: Context, key: tuple[str, str], got: Fen, used: Fen, where: Location | None) -> Finding:
    unit, source = key
    more = "多" if got > used else "少"
    message = (f"单位“{ctx.unit_label(unit)}”的“{source}”收入 {ctx.amount(got)}，支出 {ctx.amount(used)}，"
               f"收入比支出{more} {ctx.amount(abs(got - used))}")
    if where is None:  # the 收入 sheet of the unit's own workbook (several unit workbooks)
        message += "（收入表中没有该单位该来源的收入行）"
        own = ctx.budget.unit(unit)
        where = Location("收入", file=own.where.file) if own and own.where.file else ctx.sheet("收入")
    hint = income_equals_expenditure.rule.hint
    if ctx.unread_rows("收入", "基本支出", "项目支出", "项目"):
        hint = "先改正收入、支出表中未能读取的行（见读取错误），再核对此差额。" + hint
    return income_equals_expenditure.rule.finding(
        message, where, hint=hint, expected=ctx.amount(used), actual=ctx.amount(got),
        difference=("" if got >= used else "-") + ctx.amount(abs(got - used)), unit=unit)


# -- identities of the derived tables ----------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """One identity of a derived table: the figure at ``total`` equals the sum at ``parts``."""

    table: Table
    total: Cell
    parts: tuple[Cell, ...]
    across: bool  # True: parts are cells of the same row (columns); False: rows of one column


@dataclass(frozen=True)
class Verdict:
    """An identity evaluated on displayed figures, counted in display steps (0.01 万元)."""

    identity: Identity
    shown_steps: int  # the total as displayed
    summed_steps: int  # the sum of the parts as displayed
    rounded: int  # how many of the figures were rounded, each within half a step

    @property
    def shown(self) -> Decimal:
        return Decimal(self.shown_steps).scaleb(-DISPLAY_DECIMALS)

    @property
    def summed(self) -> Decimal:
        return Decimal(self.summed_steps).scaleb(-DISPLAY_DECIMALS)

    @property
    def difference(self) -> Decimal:
        return self.shown - self.summed

    @property
    def tolerance(self) -> Decimal:
        """What rounding can explain: half a displayed unit per rounded figure."""
        return HALF * self.rounded


def within_rounding(difference: Decimal, tolerance: Decimal) -> bool:
    """Whether the intervals of a total and its parts can meet (XBRL calculation 1.1)."""
    return abs(difference) <= tolerance


def _value(table: Table, cell: Cell) -> Fen | None:
    value = table.rows[cell[0]].cells[cell[1]]
    return value if isinstance(value, int) and not isinstance(value, bool) else None


Shown = tuple[int, bool]  # (display steps, whether rounded)
Grid = list[list[Shown | None]]
ZERO: Shown = (0, False)


def displayed(exact: Table, shown: Table) -> Grid:
    """Every money cell of a table as displayed (``xlbudget.display``: each figure rounded alone, or
    舍位平衡): its steps of 0.01 万元 and whether it differs from the exact figure; None for blank
    cells and for every cell outside the money columns (no identity reads them)."""
    grid: Grid = []
    step, money = display_step(table_unit(exact)), exact.money_indexes()
    for row, shown_row in zip(exact.rows, shown.rows, strict=True):
        cells: list[Shown | None] = [None] * len(row.cells)
        for col in money:
            value, seen = row.cells[col], shown_row.cells[col]
            if isinstance(value, int):
                if value == 0:  # most cells of a wide table
                    cells[col] = ZERO
                elif isinstance(seen, int):
                    cells[col] = (seen // step, seen != value)
        grid.append(cells)
    return grid


def evaluate(identity: Identity, grid: Grid) -> Verdict | None:
    """The identity on displayed figures; None when the total cell is blank. A figure shown
    exactly counts as a point, a rounded one as an interval of ± half a step."""
    total = grid[identity.total[0]][identity.total[1]]
    if total is None:
        return None
    summed, rounded = 0, int(total[1])
    for row, col in identity.parts:
        part = grid[row][col]
        if part is not None:
            summed += part[0]
            rounded += part[1]
    return Verdict(identity, total[0], summed, rounded)


def disagreements(table: Table, grid: Grid) -> Iterator[Identity]:
    """The identities of a table whose displayed figures differ (``grid``: ``displayed(table)``):
    totals across columns, then down rows. Each sum is evaluated inline; an ``Identity`` is
    built only when the total and its parts disagree."""
    steps = [[0 if figure is None else figure[0] for figure in cells] for cells in grid]  # blank: 0
    for col, parts in column_sums(table):
        for row, cells in enumerate(grid):
            total = cells[col]
            if total is not None and total[0] != sum(map(steps[row].__getitem__, parts)):
                yield Identity(table, (row, col), tuple((row, p) for p in parts), True)
    blocks = _row_blocks(table) if table.sums is None else _declared_blocks(table)
    for head, members, cols in blocks:
        for col in cols:
            total = grid[head][col]
            if total is not None and total[0] != sum([steps[m][col] for m in members]):
                yield Identity(table, (head, col), tuple(zip(members, repeat(col))), False)


Block = tuple[int, list[int], list[int]]  # (total row, part rows, money columns): totals down


def _label(text: object) -> str:
    return _unspaced(str(text or ""))


@lru_cache(maxsize=4096)
def _unspaced(text: str) -> str:
    """A label without white space (measured once per distinct label)."""
    return _SPACE.sub("", text)


# Across: a 合计/小计 column equals the columns beside it under the same header.


def _paths(table: Table) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_label(p) for p in c.path) for c in table.columns)


def column_sums(table: Table) -> list[tuple[int, tuple[int, ...]]]:
    """(total column, part columns): a column declared a total (``role``) equals the money columns
    beside it under the same header; a header group counts as its own total column (or, without
    one, as the sum of its columns); 其中 columns (role ``part``) are already counted and never added.
    A total beside a column of undeclared role is not checked: what it adds up is not known."""
    out = []
    paths = _paths(table)
    for col, column in enumerate(table.columns):
        if column.kind == MONEY and column.role == TOTAL_ROLE:
            parts = _contribution(table, paths, paths[col][:-1], exclude=col)
            if parts:
                out.append((col, tuple(parts)))
    return out


def _contribution(table: Table, paths: tuple[tuple[str, ...], ...], prefix: tuple[str, ...],
                  exclude: int = -1) -> list[int] | None:
    """The columns that add up to the header group ``prefix`` (``paths``: the tables' labels);
    None when one of them declares no role."""
    depth = len(prefix)
    members = [i for i, p in enumerate(paths) if p[:depth] == prefix and len(p) > depth
               and table.columns[i].kind == MONEY]
    if exclude < 0:
        own = [i for i in members if len(paths[i]) == depth + 1 and table.columns[i].role == TOTAL_ROLE]
        if own:
            return own[:1]
    parts: list[int] = []
    for child in dict.fromkeys(paths[i][depth] for i in members):
        leaf = [i for i in members if paths[i] == (*prefix, child)]
        if leaf:
            i = leaf[0]
            role = table.columns[i].role
            if not role and i != exclude:
                return None
            if i != exclude and role != PART_ROLE and not (exclude >= 0 and role == TOTAL_ROLE):
                parts.append(i)
        else:
            inner = _contribution(table, paths, (*prefix, child))
            if inner is None:
                return None
            parts += inner
    return parts


# Down: in grid tables 合计 = Σ unit rows and each unit row = Σ its rows below.


def _outline_blocks(table: Table) -> list[tuple[int, list[int]]]:
    """(row, rows it sums) of an outline table (rows with levels): a row equals the rows one
    level below it up to the next row of its level or above; the 合计 row the top-level rows."""
    levels = [row.level for row in table.rows]
    blocks: list[tuple[int, list[int]]] = []
    for i, level in enumerate(levels):
        if table.rows[i].kind == TOTAL:
            blocks.append((i, [j for j, lv in enumerate(levels) if lv == 1]))
            continue
        children = []
        for j in range(i + 1, len(levels)):
            if not levels[j] or levels[j] <= level:
                break
            if levels[j] == level + 1:
                children.append(j)
        if level and children:
            blocks.append((i, children))
    return blocks


def _row_blocks(table: Table) -> list[Block]:
    if any(row.level for row in table.rows):
        return [(head, members, [col]) for col in table.money_indexes()
                for head, members in _outline_blocks(table) if members]
    kinds = [row.kind for row in table.rows]
    totals = [i for i, k in enumerate(kinds) if k == TOTAL]
    units = [i for i, k in enumerate(kinds) if k == UNIT]
    blocks: list[tuple[int, list[int]]] = []
    for start in units:
        end = next((i for i in range(start + 1, len(kinds)) if kinds[i] in (UNIT, TOTAL)), len(kinds))
        if end > start + 1:  # 类/款 subtotal rows (GROUP) repeat their 项 rows: not added again
            blocks.append((start, [i for i in range(start + 1, end) if kinds[i] != GROUP]))
    department = [i for i, k in enumerate(kinds) if k == DEPARTMENT]
    for total in totals[:1]:
        members = units or [i for i, k in enumerate(kinds) if k not in (TOTAL, UNIT, GROUP)]
        for parts in (members, department):
            if parts:
                blocks.append((total, parts))
    return [(head, members, [col]) for col in table.money_indexes() for head, members in blocks]


def _declared_blocks(table: Table) -> list[Block]:
    """The row totals the table's builder declares (two-sided tables: by the nesting of their lines)."""
    return [(s.total, list(s.parts), list(s.columns)) for s in table.sums or ()]


# Two-sided tables (收支总表, 财政拨款收支表): each side is a label column and its amounts.


def _sides(table: Table) -> list[tuple[int, list[int]]]:
    """(label column, money columns) of each top-level header group holding both; ≥ 2 = two-sided."""
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(_paths(table)):
        groups.setdefault(path[0], []).append(i)
    sides = []
    for members in groups.values():
        labels = [i for i in members if table.columns[i].kind == TEXT]
        money = [i for i in members if table.columns[i].kind == MONEY]
        if labels and money and len(members) > 1:
            sides.append((labels[0], money))
    return sides if len(sides) > 1 else []


# -- naming cells ------------------------------------------------------------------------------


def row_label(table: Table, index: int) -> str:
    """A row in the clerk's terms: its first filled code group joined, then its name
    (``2010301 行政运行``, ``30101 基本工资``, ``157001 洛阳市…``, ``合计``)."""
    row, paths = table.rows[index], _paths(table)
    codes: dict[str, str] = {}
    for col, (column, value) in enumerate(zip(table.columns, row.cells, strict=True)):
        if column.kind == CODE and value:
            codes[paths[col][0]] = codes.get(paths[col][0], "") + str(value)
    texts = [(c, str(v)) for c, v in zip(table.columns, row.cells, strict=True) if c.kind == TEXT and v]
    named = [t for c, t in texts if "名称" in c.label] or [t for _, t in texts[:1]]
    parts = [next(iter(codes.values()), ""), named[0] if named else ""]
    return " ".join(x for x in parts if x) or f"第{index + 1}行"


def cell_row_label(table: Table, cell: Cell) -> str:
    """The row of ``cell`` in the clerk's terms; in a two-sided table, the label on the cell's own
    side (column D of 财政拨款收支表 is named by column C, not by the 收入 side in column A)."""
    for label_col, money in _sides(table):
        if cell[1] in money and table.rows[cell[0]].cells[label_col]:
            return str(table.rows[cell[0]].cells[label_col])
    return row_label(table, cell[0])


def column_label(table: Table, col: int) -> str:
    return "/".join(_label(p) for p in table.columns[col].path)


def _cell_text(table: Table, cell: Cell, across: bool) -> str:
    where = disclosure_cell(table, cell)
    name = column_label(table, cell[1]) if across else cell_row_label(table, cell)
    return f"{where.column}{where.row} {name} {fmt(_value(table, cell) or 0)}"


def _describe(verdict: Verdict) -> str:
    identity, table = verdict.identity, verdict.identity.table
    row, col = identity.total
    at = disclosure_cell(table, identity.total)
    named = [c for c in identity.parts if _value(table, c)]
    listed = "、".join(_cell_text(table, c, identity.across) for c in named[:MAX_PARTS_NAMED])
    listed += f" 等 {len(named)} 项" if len(named) > MAX_PARTS_NAMED else ""
    if identity.across:
        place = f"“{row_label(table, row)}”行：“{column_label(table, col)}”（{at.column}{at.row}）"
        parts = f"各分项（{listed or '均为空'}）"
    else:
        place = f"“{column_label(table, col)}”列：“{cell_row_label(table, identity.total)}”（{at.column}{at.row}）"
        parts = f"其下各行（{listed or '均为空'}）"
    return (f"公开表“{table.name}”{place}显示 {verdict.shown:,.2f}，{parts}之和为 {verdict.summed:,.2f}，"
            f"相差 {shown(verdict.difference)}")


def _input_errors(ctx: Context) -> bool:
    """Errors in the clerk's data (not in the tables derived from it)."""
    return ctx.errors(ignore=(table_totals.rule.id, same_figures.rule.id))


def _verdicts(ctx: Context) -> list[Verdict]:
    """Every identity whose displayed figures differ (computed once per context); none while the
    clerk's data has errors: the tables are not final then, and the errors name the causes."""
    if _input_errors(ctx):
        return []
    if "verdicts" not in ctx.memo:
        found: list[Verdict] = []
        for exact, shown in zip(ctx.display.exact, ctx.display.shown, strict=True):
            grid = displayed(exact, shown)
            found += [v for identity in disagreements(exact, grid) if (v := evaluate(identity, grid))]
        ctx.memo["verdicts"] = found
    return cast(list[Verdict], ctx.memo["verdicts"])


def _table_finding(rule: Rule, verdict: Verdict, message: str) -> Finding:
    return rule.finding(
        message, disclosure_cell(verdict.identity.table, verdict.identity.total),
        expected=shown(verdict.summed), actual=shown(verdict.shown), difference=shown(verdict.difference))


@check(Rule("XB302", ERROR, "公开表合计与分项不符", BUG_HINT, FAMILY))
def table_totals(ctx: Context) -> Iterator[Finding]:
    """公开表中每个合计（总计、小计、资金总额）都等于其分项之和：按列（如 合计 = 基本支出 + 项目支出，
    基本支出 = 人员经费 + 公用经费），按行（合计行 = 各单位行，单位行 = 其下各科目或项目行），两栏式表
    （收支总表、财政拨款收支表）中 本年收入合计 = 各项收入、收入总计 = 本年收入合计 + 上年结转结余 等。
    校验用的是公开表显示的数字（万元、两位小数）；差额超过四舍五入所能解释的范围即为错误。
    填报数据有错误时不做此项校验：先改正那些错误，公开表才有意义。"""
    for verdict in _verdicts(ctx):
        if not within_rounding(verdict.difference, verdict.tolerance):
            yield _table_finding(table_totals.rule, verdict, _describe(verdict))


@check(Rule("XB303", INFO, "四舍五入尾差",
            "无需处理。如希望公开表各数严格相加，可把相关金额调整到百元整数。", FAMILY))
def rounding_tails(ctx: Context) -> Iterator[Finding]:
    """金额以元（或多于两位小数的万元）填报、公开表以万元两位小数显示时，每个显示数都是四舍五入的
    结果，合计与分项显示之和可能相差几分（尾差）。差额不超过所涉各数中经过舍入的数各半个显示单位
    （0.005 万元）之和时，视为尾差，不是错误。每张表汇总为一条提示：尾差的处数、所在单元格（前 20 处）
    和第一处的明细，以免几十条提示淹没真正的警告。"""
    by_table: dict[str, list[Verdict]] = {}
    for verdict in _verdicts(ctx):
        if within_rounding(verdict.difference, verdict.tolerance):
            by_table.setdefault(verdict.identity.table.name, []).append(verdict)
    for name, verdicts in by_table.items():
        cells = [disclosure_cell(v.identity.table, v.identity.total) for v in verdicts[:MAX_TAILS]]
        listed = "、".join(f"{c.column}{c.row}" for c in cells) + ("等" if len(verdicts) > MAX_TAILS else "")
        first = verdicts[0]
        yield _table_finding(rounding_tails.rule, first, (
            f"公开表“{name}”有 {len(verdicts)} 处合计与分项显示之和相差几分（{listed}），均在四舍五入可能造成的"
            f"范围以内，是尾差。第一处：{_describe(first)}，在 ±{first.tolerance:.3f} 以内"))


# -- the same figure in several tables -----------------------------------------------------------

@check(Rule("XB304", ERROR, "公开表之间同一数字不一致", BUG_HINT, FAMILY))
def same_figures(ctx: Context) -> Iterator[Finding]:
    """同一个数字在几张公开表中出现时必须相同：收支总表的本年支出合计 = 支出表合计 = 支出经济分类汇总表
    总计 = 收入表合计；支出表项目支出 = 项目支出表合计 = 绩效目标表资金总额；财政拨款收支表的一般公共
    预算、政府性基金、国有资本经营本年支出 = 相应支出表合计；一般公共预算支出表基本支出 = 一般公共
    预算基本支出表合计。填报数据有错误时不做此项校验。"""
    if _input_errors(ctx):
        return
    for name, first, second in same_figure_pairs(ctx):
        a, b = ctx.cells[first], ctx.cells[second]
        if a is None or b is None:  # reported by XB306
            continue
        va, vb = _value(a[0], a[1]) or 0, _value(b[0], b[1]) or 0
        if to_display(va) != to_display(vb):
            diff = to_display(va) - to_display(vb)
            yield same_figures.rule.finding(
                f"{name}：公开表“{a[0].name}”显示 {fmt(va)}，“{b[0].name}”（{disclosure_cell(*b)}）显示 "
                f"{fmt(vb)}，相差 {shown(diff)}", disclosure_cell(*a),
                expected=shown_fen(vb), actual=shown_fen(va), difference=shown(diff))


@check(Rule("XB305", WARNING, "舍位平衡后显示数偏离超过 0.01 万元",
            "可改用逐数四舍五入（compile --rounding exact），或核对所列单元格后再公开。", FAMILY))
def balanced_bound(ctx: Context) -> Iterator[Finding]:
    """以舍位平衡（--rounding balanced）编制时，公开表每个显示数与其精确值之差应小于一个显示单位
    （0.01 万元）。各表交叉汇总的结构复杂时，个别单元格可能无法同时满足所有合计等于分项之和与这一
    界限；此时每张表汇总为一条警告，列出这些单元格（前 20 处）和第一处的显示数与精确值（合计仍等于
    分项之和）。"""
    display = ctx.display
    by_table: dict[int, list[tuple[int, int]]] = {}
    for t, r, c in display.far_cells():
        by_table.setdefault(t, []).append((r, c))
    for t, cells in by_table.items():
        exact, table = display.exact[t], display.shown[t]
        places = [disclosure_cell(table, cell) for cell in cells]
        listed = "、".join(f"{p.column}{p.row}" for p in places[:MAX_TAILS]) + ("等" if len(cells) > MAX_TAILS else "")
        row, col = cells[0]
        e, v = to_exact(_value(exact, (row, col)) or 0), to_display(_value(table, (row, col)) or 0)
        yield balanced_bound.rule.finding(
            f"公开表“{table.name}”有 {len(cells)} 处显示数与精确值相差 0.01 万元或更多（{listed}）。第一处："
            f"“{row_label(table, row)}”行“{column_label(table, col)}”列显示 {v:,.2f}，精确值为 {e:,.6f}，"
            f"相差 {v - e:,.6f} 万元", places[0], expected=f"{e:,.6f} {DISPLAY_UNIT}", actual=shown(v),
            difference=f"{v - e:,.6f} {DISPLAY_UNIT}")


def same_figure_pairs(ctx: Context) -> Iterator[tuple[str, str, str]]:
    """(name, figure, figure) of each identity of the profile: every figure equals the next."""
    for identity in ctx.layout.identities:
        for first, second in pairwise(identity.figures):
            yield identity.name, first, second


CHECKS = (income_equals_expenditure, table_totals, rounding_tails, same_figures, balanced_bound)
