"""基本信息: its keys, the budget year (and the template's), the 金额单位, and the department
without which no public table is made."""

from __future__ import annotations

from xlbudget import contract
from xlbudget.findings import Location
from xlbudget.model import Budget
from xlbudget.money import normalize_text
from xlbudget.reading.cells import canonical, cell_text, code_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.keyed import duplicate_key
from xlbudget.reading.rules import BAD_INFO, NO_AMOUNT_UNIT, NO_DEPARTMENT, OTHER_YEAR_TEMPLATE
from xlbudget.reading.session import Session, SheetRows

DEFAULT_YEAR = 2022


def read_info(session: Session, located: SheetRows | None) -> dict[str, tuple[object, int]]:
    """基本信息 key → (value, row)."""
    info: dict[str, tuple[object, int]] = {}
    if located is None:
        return info
    for number, values in data_rows(session, located):
        key = canonical(cell_text(values["项目"]), session.contract.info_keys) or cell_text(values["项目"])
        if key in info:
            duplicate_key(session, located, number, key, info[key][1])
        info[key] = (values["内容"], number)
    return info


def parse_year(session: Session, info: dict[str, tuple[object, int]]) -> int:
    value, row = info.get("预算年度", ("", 0))
    text = code_text(value).removesuffix("年")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        year, template = int(text), session.book.template_year
        if template and year != template:
            session.report(OTHER_YEAR_TEMPLATE, f"基本信息“预算年度”为 {year}，但本工作簿是 {template} 年度的填报模板",
                           session.where("基本信息", row, "B"), f"如确为 {year} 年度预算，请用 xlbudget template "
                           f"--year {year} 生成当年的模板（科目下拉列表按年度提供）后转录；否则改正预算年度。",
                           expected=str(template), actual=str(year))
        return year
    session.report(BAD_INFO, f"基本信息“预算年度”应为四位年份，实际为“{cell_text(value)}”",
                   session.where("基本信息", row, "B" if row else ""), "例如 2022。",
                   actual=cell_text(value))
    return DEFAULT_YEAR


def parse_unit(session: Session, info: dict[str, tuple[object, int]]) -> str:
    value, row = info.get("金额单位", ("", 0))
    unit = normalize_text(cell_text(value))
    if unit in contract.AMOUNT_UNITS:
        return unit
    if not unit:
        session.report(NO_AMOUNT_UNIT, "基本信息未填写“金额单位”，按万元读取",
                       session.where("基本信息", row), "请填写 万元 或 元。")
        return "万元"
    session.report(BAD_INFO, f"基本信息“金额单位”应为 万元 或 元，实际为“{unit}”",
                   session.where("基本信息", row, "B"), "请填写 万元 或 元。", actual=unit)
    return "万元"


def info_cell(session: Session, located: SheetRows | None, info: dict[str, tuple[object, int]], key: str
              ) -> Location:
    """The 内容 cell of a 基本信息 key (the sheet when the key is missing)."""
    row = info.get(key, ("", 0))[1]
    return session.cell(located, row, "内容") if located is not None and row else session.where("基本信息")


def report_nameless(session: Session, budget: Budget, info: dict[str, tuple[object, int]],
                    located: dict[str, SheetRows | None]) -> None:
    """No public table without its department: 部门编码, 部门名称 and at least one 单位."""
    if located["基本信息"] is not None:
        for key, value in (("部门编码", budget.dept_code), ("部门名称", budget.dept_name)):
            if not value:
                where = info_cell(session, located["基本信息"], info, key)
                session.report(NO_DEPARTMENT, f"基本信息未填写“{key}”，公开表不能没有{key}", where,
                               f"在基本信息中填写{key}。")
    if located["单位"] is not None and not budget.units:
        session.report(NO_DEPARTMENT, "“单位”表中没有单位，公开表不能没有单位", session.where("单位"),
                       "在“单位”表中填写部门本级及所属单位，每单位一行。")
