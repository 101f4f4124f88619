"""The input template (docs/template.md): the workbook a clerk fills, blank or holding a budget.

Sheets, headers and vocabularies come from ``contract``; this module only lays them out:
a 填报说明 sheet first, then one sheet per ``contract.SHEETS`` entry, then a hidden ``_lists``
sheet holding the dropdown lists, reached through workbook defined names (``LIST_NAMES``).

Cells are unlocked in the input columns but no sheet is protected: protection would stop
clerks adding their own columns (which the contract allows). A clerk may protect sheets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlbudget import purchases
from xlbudget.catalog import ECON_DEPT, FUNCTIONAL, Catalog
from xlbudget.contract import (
    AMOUNT_UNITS,
    BALANCE_FLOWS,
    BUDGET_FLOWS,
    CURRENT,
    GUIDE_SHEET,
    INCOME_FLOW,
    INFO_SHEET,
    INPUTS,
    LISTS_SHEET,
    NOTES_SHEET,
    PRIOR_SHEET,
    PROJECT_BUDGET_FLOWS,
    SPENDING_FLOWS,
    THREE_PUBLIC_BUDGET_FLOWS,
    THREE_PUBLIC_ITEMS,
    VOCABULARIES,
    Column,
    Contract,
    Sheet,
    note_label,
)
from xlbudget.money import DECIMALS, FEN_PER_UNIT, Fen, normalize_text, to_exact
from xlbudget.outputs import atomic_write
from xlbudget.reading.stamp import stamp_guide, stamp_values

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from xlbudget.model import Budget, Line

INPUT_ROWS = 2000  # empty input rows (formats, dropdowns) below the written rows of each sheet
FIXED_DATE = datetime(2000, 1, 1)  # document date, so identical input gives identical bytes

# Defined name of each dropdown list, by the contract's ``Column.choices`` (ASCII to be safe).
LIST_NAMES: dict[str, str] = {
    "资金来源": "L_source",
    "单位类型": "L_unittype",
    "项目类型": "L_projecttype",
    "采购类型": "L_procurementtype",
    "一级指标": "L_indicator",
    "金额单位": "L_amountunit",
    "是否": "L_yesno",
    FUNCTIONAL: "L_function",
    ECON_DEPT: "L_econ",
    "单位编码": "L_unit",
    "项目编码": "L_project",
    "决算资金来源": "L_accountsource",
    "支出类型": "L_spending",
    "结转结余类别": "L_balance",
    "三公经费项目": "L_threepublic",
}
# Lists that are columns of the workbook itself: choices → (sheet, header).
SHEET_LISTS: dict[str, tuple[str, str]] = {
    "单位编码": ("单位", "单位编码"),
    "项目编码": ("项目", "项目编码"),
}
# Catalog lists: choices → level of the codes offered (功能分类 项, 部门经济分类 款).
CATALOG_LISTS: dict[str, str] = {FUNCTIONAL: "项", ECON_DEPT: "款"}
# Key/value sheets: their prefilled keys in the first column.
KEYED_SHEETS = (INFO_SHEET, PRIOR_SHEET, NOTES_SHEET)
INFO_CODE_KEYS = ("部门编码",)  # 基本信息 values kept as text

KIND_LABEL = {"text": "文本", "code": "编码", "amount": "金额", "choice": "选项"}

_BORDER = {"border": 1, "border_color": "#808080"}
_INPUT = {"locked": False, "valign": "vcenter"}
FORMATS: dict[str, dict[str, Any]] = {
    "header": {"bold": True, "bg_color": "#BDD7EE", "text_wrap": True, "align": "center",
               "valign": "vcenter", **_BORDER},
    "header_optional": {"bold": True, "bg_color": "#E7E6E6", "text_wrap": True, "align": "center",
                        "valign": "vcenter", **_BORDER},
    "key": {"bg_color": "#F2F2F2", "valign": "vcenter", **_BORDER},
    "text": {**_INPUT, "text_wrap": True},
    "choice": {**_INPUT},
    "code": {**_INPUT, "num_format": "@"},
    "amount": {**_INPUT, "num_format": "#,##0.00####"},
    "title": {"bold": True, "font_size": 14},
    "heading": {"bold": True, "font_size": 12},
    "paragraph": {"text_wrap": True, "valign": "top"},
    "list_header": {"bold": True},
    "list": {"num_format": "@"},
}
GUIDE_WIDTH = 110
CHINESE_NUMBERS = "一二三四五六七八九"  # the 填报说明's headings

Row = Mapping[str, object]  # header → value (str, int; amounts as 分 in "amount" columns)


# -- public API ------------------------------------------------------------------------------
def write_template(path: Path, year: int, catalog: Catalog, budget: Budget | None = None,
                   amount_unit: str = "万元", version: Contract = CURRENT, format_name: str = "",
                   more: Mapping[str, Sequence[Row]] = {}) -> None:
    """Write the input template (of contract ``version``) for ``year`` to ``path`` atomically,
    holding ``budget`` if given, stamped with ``format_name`` (the profile's name) if given, and the
    rows ``more`` (sheet → rows to fill, such as a 决算's project lines without their amounts).

    Amounts are written in ``amount_unit`` exactly: as numbers when the file keeps them exact,
    else as text (only beyond 15 significant digits).
    """
    if amount_unit not in FEN_PER_UNIT:
        raise ValueError(f"金额单位须为{'或'.join(FEN_PER_UNIT)}，不是“{amount_unit}”")
    rows = sheet_rows(year, amount_unit, budget, version, format_name)
    for name, added in more.items():
        rows[name] = rows[name] + list(added)
    atomic_write(path, lambda tmp: _write_workbook(tmp, year, catalog, rows, amount_unit, version, format_name))


def write_budget_workbook(budget: Budget, path: Path, amount_unit: str | None = None,
                          version: Contract = CURRENT) -> None:
    """Write ``budget`` as a filled input template of contract ``version`` (its own 金额单位 unless
    ``amount_unit``)."""
    write_template(path, budget.year, budget.catalog, budget, amount_unit or budget.amount_unit, version)


# 说明事项 a new year's template keeps (descriptive texts). Reasons for last year's changes,
# 政府采购 amounts and asset counts belong to one year and are left for the clerk to fill.
CARRIED_NOTES = ("主要职能", "机构设置", "机关运行经费说明", "专项转移支付", "绩效目标设置情况")


def next_year_budget(last: Budget, prior: Mapping[str, Fen], year: int, version: Contract = CURRENT) -> Budget:
    """The start of ``year``'s template of ``version`` (``template --from``): last year's 单位, 项目 and
    说明事项 texts (CARRIED_NOTES, and the clerk's own keys: not in ``version``), ``prior`` as 上年数,
    and no amounts, lines, 绩效目标, 整体绩效目标 or 政府购买服务."""
    from dataclasses import replace

    notes = {k: v for k, v in last.notes.items() if k in CARRIED_NOTES or k not in version.note_keys}
    return replace(last, year=year, incomes=(), lines=(), indicators=(), services=(), goals=(), tasks=(),
                   goal_indicators=(), prior=dict(prior), notes=notes)


def sheet_rows(year: int, amount_unit: str, budget: Budget | None = None,
               version: Contract = CURRENT, format_name: str = "") -> dict[str, list[Row]]:
    """The rows of every contract sheet, by header; key/value sheets always list their keys."""
    rows: dict[str, list[Row]] = {sheet.name: [] for sheet in version.sheets}
    rows[INFO_SHEET] = _info_rows(year, amount_unit, budget, version, format_name)
    rows[PRIOR_SHEET] = [{"项目": key, "金额": value}
                         for key, value in _keyed(version.prior_keys, budget.prior if budget else {}).items()]
    rows[NOTES_SHEET] = [{"项目": note_label(key, amount_unit), "内容": value}
                         for key, value in _keyed(version.note_keys, _notes(budget, amount_unit)).items()]
    if budget is not None:
        rows.update(_budget_rows(budget) if version.family == "预算" else _accounts_rows(budget))
    return rows


def amount_cell(fen: Fen, unit: str) -> float | str:
    """``fen`` in ``unit`` as the cell value: a float when the file keeps it exact, else text.

    xlsxwriter writes numbers with 16 significant digits (``%.16G``) and readers turn the
    cell's float back into a Decimal through ``repr``; both steps must give the exact amount.
    """
    exact = to_exact(fen, unit)
    number = float(exact)
    if Decimal(repr(number)) == exact and Decimal(repr(float(f"{number:.16G}"))) == exact:
        return number
    return format(exact, "f")


# -- rows --------------------------------------------------------------------------------------
def _keyed(keys: tuple[str, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """The contract keys in order (blank when missing), then any extra keys of ``values``."""
    return {key: values.get(key) for key in keys} | {k: v for k, v in values.items() if k not in keys}


def _notes(budget: Budget | None, amount_unit: str) -> dict[str, str]:
    """The 说明事项 texts; an amount whose label named another unit than ``amount_unit`` (which the
    written labels name) gets that unit typed after the number."""
    if budget is None:
        return {}
    notes = dict(budget.notes)
    for key, unit in budget.note_units.items():
        text = notes.get(key, "")
        if text and unit != amount_unit and not normalize_text(text).endswith(AMOUNT_UNITS):
            notes[key] = text + unit
    return notes


def _info_rows(year: int, amount_unit: str, budget: Budget | None, version: Contract, format_name: str
               ) -> list[Row]:
    values: dict[str, object] = {"预算年度": year, "金额单位": amount_unit}
    if budget is not None:
        values |= {"部门编码": budget.dept_code, "部门名称": budget.dept_name}
    values |= stamp_values(format_name, version.version)  # after the contract's keys
    return [{"项目": key, "内容": value} for key, value in _keyed(version.info_keys, values).items()]


def _line_row(line: Line) -> dict[str, object]:
    return {"功能分类编码": line.function, "经济分类编码": line.econ, "资金来源": line.source,
            "金额": line.amount, "政府经济分类编码": line.gov_override}


def _budget_rows(budget: Budget) -> dict[str, list[Row]]:
    return {
        "单位": [{"单位编码": u.code, "单位名称": u.name, "单位类型": u.type} for u in budget.units],
        "收入": [{"单位编码": i.unit, "资金来源": i.source, "金额": i.amount} for i in budget.incomes],
        "基本支出": [{"单位编码": line.unit, **_line_row(line)} for line in budget.lines if line.is_basic],
        "项目": [{"项目编码": p.code, "项目名称": p.name, "项目类型": p.type, "单位编码": p.unit,
                "已设绩效目标": "是" if p.targets_set else ""} for p in budget.projects],
        "项目支出": [{"项目编码": line.project, **_line_row(line)}
                 for line in budget.lines if not line.is_basic],
        "绩效目标": [{"项目编码": i.project, "一级指标": i.category, "二级指标": i.level2,
                  "三级指标": i.level3, "指标值": i.value} for i in budget.indicators],
        "功能科目用途": [{"功能分类编码": code, "主要用途": text} for code, text in budget.purposes.items()],
        "项目经费情况说明": [{"项目编码": s.project, **dict(s.sections)} for s in budget.statements],
        purchases.NAME: [{"单位编码": p.unit, "项目编码": p.project, "采购项目名称": p.name, "采购品目": p.item,
                          "采购类型": p.type, "资金来源": p.source, purchases.AMOUNT: p.amount,
                          purchases.SME: p.sme or None, purchases.SMALL: p.small or None}
                         for p in budget.purchases or ()],
        "整体绩效目标": [{"单位编码": g.unit, "年度总体目标": g.text} for g in budget.goals],
        "年度主要任务": [{"单位编码": t.unit, "任务名称": t.name, "主要内容": t.content, "资金来源": t.source,
                    "金额": t.amount if t.source else None} for t in budget.tasks],
        "整体绩效指标": [{"单位编码": i.unit, "一级指标": i.category, "二级指标": i.level2, "三级指标": i.level3,
                    "指标值": i.value, "指标方向": i.direction, "度量单位": i.measure} for i in budget.goal_indicators],
        "政府购买服务": [{"单位编码": s.unit, "项目编码": s.project, "一级目录": s.category, "二级目录": s.item,
                    "资金来源": s.source, "金额": s.amount} for s in budget.services],
    }


def _accounts_rows(budget: Budget) -> dict[str, list[Row]]:
    """A 部门决算 (lines with flows, contract.FLOWS) as the rows of the 决算 template's sheets."""
    def flows(*names: str) -> list[Line]:
        return [line for line in budget.lines if line.flow in names]

    def budgeted(names: tuple[str, str], key: Callable[[Line], Any]) -> dict[Any, dict[str, object]]:
        rows: dict[Any, dict[str, object]] = {}
        for line in flows(*names):
            column = "年初预算数" if line.flow == names[0] else "调整预算数"
            rows.setdefault(key(line), {})[column] = line.amount
        return rows

    items = {codes[0]: item for item, codes in THREE_PUBLIC_ITEMS.items()}
    by_function = budgeted(BUDGET_FLOWS, lambda line: line.function)
    by_item = budgeted(THREE_PUBLIC_BUDGET_FLOWS, lambda line: items[line.econ])
    by_project = budgeted(PROJECT_BUDGET_FLOWS, lambda line: (line.unit, line.project, line.function))

    def project_name(code: str) -> str:
        project = budget.project(code)
        return project.name if project else code
    return {
        "单位": [{"单位编码": u.code, "单位名称": u.name, "单位类型": u.type} for u in budget.units],
        "本年收入": [{"单位编码": line.unit, "功能分类编码": line.function, "资金来源": line.source, "金额": line.amount}
                 for line in flows(INCOME_FLOW)],
        "本年支出": [{"单位编码": line.unit, "功能分类编码": line.function, "经济分类编码": line.econ,
                  "资金来源": line.source, "支出类型": line.flow, "金额": line.amount,
                  "项目名称": project_name(line.project)}
                 for line in flows(*SPENDING_FLOWS)],
        "结转结余": [{"单位编码": line.unit, "类别": line.flow, "资金来源": line.source, "功能分类编码": line.function,
                  "金额": line.amount} for line in flows(*BALANCE_FLOWS)],
        "年初预算": [{"功能分类编码": code, **values, "差异原因": budget.reasons.get(code, "")}
                 for code, values in by_function.items()],
        "三公经费": [{"项目": item, **values, "差异原因": budget.reasons.get(item, "")}
                 for item, values in by_item.items()],
        "项目年初预算": [{"单位编码": unit, "项目名称": project_name(code), "功能分类编码": function, **values,
                     "差异原因": budget.reasons.get(code, "")} for (unit, code, function), values in by_project.items()],
    }


# -- workbook ----------------------------------------------------------------------------------
def _write_workbook(path: Path, year: int, catalog: Catalog, rows: dict[str, list[Row]],
                    amount_unit: str, version: Contract, format_name: str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": version.title.format(year=year), "created": FIXED_DATE})
    formats = {name: workbook.add_format(spec) for name, spec in FORMATS.items()}
    _write_guide(workbook.add_worksheet(GUIDE_SHEET), year, catalog, amount_unit, formats, version, format_name)
    last_rows = {sheet.name: len(rows[sheet.name]) + INPUT_ROWS for sheet in version.sheets}  # 0-based
    for sheet in version.sheets:
        _write_sheet(workbook.add_worksheet(sheet.name), sheet, rows[sheet.name],
                     last_rows[sheet.name], amount_unit, formats)
    _write_lists(workbook, catalog, last_rows, formats, version)
    workbook.close()


def _write_sheet(ws: Worksheet, sheet: Sheet, rows: list[Row], last_row: int, amount_unit: str,
                 formats: dict[str, Format]) -> None:
    for col, column in enumerate(sheet.columns):
        header = formats["header" if column.required else "header_optional"]
        ws.write_string(0, col, column.header, header)
        kind = _cell_kind(sheet, col, {})
        ws.set_column(col, col, column.width, formats[kind])
        if kind != "key":
            _validate(ws, (1, col, last_row, col), column)
    ws.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        for col, column in enumerate(sheet.columns):
            kind = _cell_kind(sheet, col, row)
            value = row.get(column.header)
            if kind != column.kind and value in (None, ""):  # a blank cell (基本信息's 部门编码) keeps its own format
                ws.write_blank(number, col, None, formats[kind])
            _write_value(ws, number, col, value, kind, amount_unit, formats)
            if kind == "choice" and sheet.name in KEYED_SHEETS:
                key = str(row["项目"])  # a vocabulary key of 基本信息 (金额单位): its dropdown
                _validate(ws, (number, col, number, col), Column(key, kind="choice", choices=key))


def _cell_kind(sheet: Sheet, col: int, row: Row) -> str:
    """The kind (and format) of a cell: the column's, except in key/value sheets."""
    if sheet.name not in KEYED_SHEETS:
        return sheet.columns[col].kind
    if col == 0:
        return "key"
    key = row.get("项目")
    if sheet.name == INFO_SHEET and key in VOCABULARIES:
        return "choice"
    if sheet.name == INFO_SHEET and key in INFO_CODE_KEYS:
        return "code"
    return sheet.columns[col].kind


def _write_value(ws: Worksheet, row: int, col: int, value: object, kind: str, amount_unit: str,
                 formats: dict[str, Format]) -> None:
    if value is None or value == "":
        return
    cell_format = formats[kind]
    if kind == "amount" and isinstance(value, int):
        value = amount_cell(value, amount_unit)
    if isinstance(value, str):
        ws.write_string(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    else:
        raise TypeError(f"unexpected cell value {value!r}")


def _validate(ws: Worksheet, area: tuple[int, int, int, int], column: Column) -> None:
    """Dropdown from a defined name (codes: warning, vocabularies: stop) and the column's help."""
    help_text = column_help(column)
    if not column.choices and not help_text:
        return
    options: dict[str, Any] = {"validate": "any"}
    if column.choices:
        code = column.kind == "code"
        options = {
            "validate": "list",
            "source": f"={LIST_NAMES[column.choices]}",
            "error_type": "warning" if code else "stop",
            "error_title": column.header[:32],
            "error_message": ("此编码不在下拉列表中。如确认无误可继续，检查时会提示。" if code
                              else "请从下拉列表中选择。"),
        }
    ws.data_validation(*area, options | {
        "input_title": column.header[:32],
        "input_message": ("必填。" if column.required else "选填。") + help_text[:240],
    })


def column_help(column: Column) -> str:
    """The help a clerk sees for a column (in 填报说明 and as the cell's input message)."""
    parts = [column.help] if column.help else []
    if column.kind == "choice":
        parts.append("从下拉列表中选择")
    elif column.choices:
        parts.append("可从下拉列表中选择")
    return "；".join(parts)


# -- lists -------------------------------------------------------------------------------------
def vocabularies(version: Contract) -> dict[str, tuple[str, ...]]:
    """The vocabularies ``version`` uses (a column's choices, or a 基本信息 key's)."""
    used = {c.choices for s in version.sheets for c in s.columns} | set(version.info_keys)
    return {name: values for name, values in VOCABULARIES.items() if name in used}


def list_columns(catalog: Catalog, version: Contract = CURRENT) -> list[tuple[str, str, list[str]]]:
    """The ``_lists`` columns: (defined name or "" for reading aids, title, values); the
    vocabularies ``version`` uses."""
    columns = [(LIST_NAMES[name], name, list(values)) for name, values in vocabularies(version).items()]
    for kind, level in CATALOG_LISTS.items():
        entries = sorted((e for e in catalog.table(kind).values() if e.level == level),
                         key=lambda e: e.code)
        columns.append((LIST_NAMES[kind], f"{kind}编码", [e.code for e in entries]))
        columns.append(("", f"{kind}编码及名称", [f"{e.code} {e.name}" for e in entries]))
    return columns


def _write_lists(workbook: Workbook, catalog: Catalog, last_rows: dict[str, int],
                 formats: dict[str, Format], version: Contract) -> None:
    from xlsxwriter.utility import quote_sheetname, xl_col_to_name

    ws = workbook.add_worksheet(LISTS_SHEET)
    for col, (name, title, values) in enumerate(list_columns(catalog, version)):
        ws.set_column(col, col, 40 if not name else 20, formats["list"])
        ws.write_string(0, col, title, formats["list_header"])
        for row, value in enumerate(values, start=1):
            ws.write_string(row, col, value, formats["list"])
        if name:
            letter = xl_col_to_name(col, col_abs=True)
            workbook.define_name(name, f"={quote_sheetname(LISTS_SHEET)}!{letter}$2:{letter}"
                                       f"${max(len(values), 1) + 1}")
    for choices, (sheet_name, header) in SHEET_LISTS.items():
        if sheet_name not in {s.name for s in version.sheets}:
            continue  # the 决算 template has no 项目 sheet
        sheet = version.sheet(sheet_name)
        letter = xl_col_to_name(sheet.columns.index(sheet.column(header)), col_abs=True)
        workbook.define_name(LIST_NAMES[choices], f"={quote_sheetname(sheet_name)}!{letter}$2:"
                                                  f"{letter}${last_rows[sheet_name] + 1}")
    ws.hide()


# -- 填报说明 ------------------------------------------------------------------------------------
def guide_lines(year: int, catalog: Catalog, amount_unit: str, version: Contract = CURRENT,
                format_name: str = "") -> list[tuple[str, str]]:
    """The 填报说明 sheet as (style, text) lines (``format_name``: the format the template is stamped with)."""
    decimals = "，".join(f"{unit}最多{n}位小数" for unit, n in DECIMALS.items())
    lines = [
        ("title", f"{version.title.format(year=year)} · 填报说明"),
        ("paragraph", (f"每个单位（或部门）填写一份本工作簿；{version.family}公开表和{version.family}说明中的数字"
                       "全部由它生成，同一个数只填一次。")),
        ("heading", "一、填写规则"),
        ("paragraph", "1. 表头文字不可修改；可增加自己的列；可调整行序。程序按表头文字识别各列。"),
        ("paragraph", f"2. 金额按基本信息中的金额单位填写：{decimals}（本模板当前为{amount_unit}）。"
                      f"说明事项中的金额按该行项目名中写明的单位填写（如“政府采购服务（{amount_unit}）”），"
                      "也可在数字后写明“元”或“万元”。"),
        ("paragraph", ("3. 科目名称不需填写，由编码自动带出；"
                       "单位名称、项目名称只在“单位”“项目”表中填写。")),
        ("paragraph", ("4. 编码按文本填写（如 2010301），可从下拉列表选择；"
                       "目录中没有的编码仍可填写，检查时会提示。")),
        ("paragraph", ("5. 表头为蓝色的列必填，灰色的列选填。基本信息、上年数、说明事项"
                       "已列出各项目，只填写右侧的值。")),
        ("paragraph", ("6. 工作表未设保护，填写区域的单元格已解除锁定；"
                       "如需防止误改表头，可自行保护工作表。")),
    ]
    if format_name:
        lines.append(("paragraph", stamp_guide(format_name)))
    headings = iter(CHINESE_NUMBERS[1:])
    if version.inputs:
        lines.append(("heading", f"{next(headings)}、本格式的可选输入"))
        lines += [("paragraph", f"{n}. {name}：{INPUTS[name].guide}。")
                  for n, name in enumerate(version.inputs, start=1)]
    lines += [
        ("heading", f"{next(headings)}、各工作表"),
    ]
    for sheet in version.sheets:
        need = "必填" if sheet.required else "选填"
        lines.append(("heading", f"【{sheet.name}】（{need}）{sheet.purpose}"))
        lines += [("paragraph", _column_line(column)) for column in sheet.columns]
        if sheet.name in KEYED_SHEETS:
            lines.append(("paragraph", f"    已列出的项目：{'、'.join(version.keyed[sheet.name])}"))
    lines.append(("heading", f"{next(headings)}、下拉选项"))
    lines += [("paragraph", f"{name}：{'、'.join(values)}") for name, values in vocabularies(version).items()]
    for kind, level in CATALOG_LISTS.items():
        count = sum(e.level == level for e in catalog.table(kind).values())
        text = f"{kind}编码：{year}年度{kind}{level}级科目，共{count}个，见下拉列表。"
        lines.append(("paragraph", text))
    return lines


def _column_line(column: Column) -> str:
    need = "必填" if column.required else "选填"
    help_text = column_help(column)
    line = f"    · {column.header}（{need}，{KIND_LABEL[column.kind]}）"
    return f"{line}：{help_text}" if help_text else line


def _write_guide(ws: Worksheet, year: int, catalog: Catalog, amount_unit: str,
                 formats: dict[str, Format], version: Contract, format_name: str) -> None:
    ws.set_column(0, 0, GUIDE_WIDTH)
    for row, (style, text) in enumerate(guide_lines(year, catalog, amount_unit, version, format_name)):
        ws.write_string(row, 0, text, formats[style])
