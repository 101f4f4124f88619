"""The key/value and text sheets: 上年数, 说明事项 (rows named by 项目), 功能科目用途 and
项目经费情况说明; unknown and repeated keys are reported."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from xlbudget import contract
from xlbudget.findings import Location
from xlbudget.model import Statement
from xlbudget.money import Fen, normalize_text
from xlbudget.reading.amounts import read_amount
from xlbudget.reading.cells import canonical, cell_text, date_text
from xlbudget.reading.codes import read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.rules import DUPLICATE_KEY, UNKNOWN_KEY
from xlbudget.reading.session import Session, SheetRows


def duplicate_key(session: Session, located: SheetRows, number: int, key: str, first: int) -> None:
    session.report(DUPLICATE_KEY, f"“{located.name}”中的项目“{key}”重复，第{first}行已填写过",
                   session.cell(located, number, "项目"), "删除多余的行，只保留正确的一行（重复时使用最后一行）。",
                   actual=key)


_OPTIONAL_KEYS = (*contract.EVERY_INPUT.prior_keys, *contract.EVERY_INPUT.note_keys)


def _unknown_key(session: Session, located: SheetRows, number: int, key: str, keys: Sequence[str]) -> None:
    """A key the format's template does not list: kept as typed; one of an optional input the format
    does not declare says which."""
    where = session.cell(located, number, "项目")
    item = contract.input_of(key)
    if item:
        session.report(UNKNOWN_KEY, f"“{located.name}”中的项目“{key}”属于可选输入“{item}”，所选格式没有声明它，"
                       "已按原样保留", where, f"所选格式的说明不用它；如需使用，选用声明了“{item}”的格式，"
                       f"或在格式配置的 inputs 中加上“{item}”。")
    else:
        session.report(UNKNOWN_KEY, f"“{located.name}”中的项目“{key}”不是约定的项目名，已按原样保留", where,
                       f"约定的项目：{'、'.join(keys)}")


def _key_rows(session: Session, located: SheetRows | None, keys: Sequence[str], labels: bool = False
              ) -> Iterator[tuple[int, str, dict[str, object]]]:
    """Rows of a key/value sheet; unknown keys are reported (info) and still returned. ``labels``:
    a key may carry its unit (“政府采购货物（元）”, contract.note_label)."""
    if located is None:
        return
    seen: dict[str, int] = {}
    known = (*keys, *_OPTIONAL_KEYS)  # another format's keys are recognised too, to say so
    for number, values in data_rows(session, located):
        label = cell_text(values["项目"])
        key = (canonical(label, known) or (labels and canonical(contract.split_note_label(normalize_text(label))[0], known))
               or label)
        if key not in keys:
            _unknown_key(session, located, number, key, keys)
        if key and key in seen:
            duplicate_key(session, located, number, key, seen[key])
        seen[key] = number
        yield number, key, values


def read_prior(session: Session, located: SheetRows | None, cells: dict[str, Location]) -> dict[str, Fen]:
    """上年数 by key; ``cells`` gets each key's 金额 cell."""
    prior: dict[str, Fen] = {}
    for number, key, values in _key_rows(session, located, session.contract.prior_keys):
        amount = read_amount(session, located, number, values, required=False)  # type: ignore[arg-type]
        if amount is not None:
            prior[key] = amount
            cells[key] = session.cell(located, number, "金额")  # type: ignore[arg-type]
    return prior


def read_notes(session: Session, located: SheetRows | None, cells: dict[str, Location]
               ) -> tuple[dict[str, str], dict[str, str]]:
    """The 说明事项 texts by key, and the keys whose label names a unit other than the 金额单位;
    ``cells`` gets each key's 内容 cell."""
    notes: dict[str, str] = {}
    units: dict[str, str] = {}
    for number, key, values in _key_rows(session, located, session.contract.note_keys, labels=True):
        value = values.get("内容")
        text = date_text(value) if key in contract.DATE_NOTE_KEYS else cell_text(value)
        unit = contract.split_note_label(normalize_text(cell_text(values["项目"])))[1]
        if text:
            notes[key] = text
            cells[key] = session.cell(located, number, "内容")  # type: ignore[arg-type]
            if unit and unit != session.unit:
                units[key] = unit
    return notes, units


def read_purposes(session: Session, located: SheetRows | None, cells: dict[str, Location]) -> dict[str, str]:
    """主要用途 by 功能分类 code; ``cells`` gets each code's 主要用途 cell."""
    purposes: dict[str, str] = {}
    if located is None:
        return purposes
    seen: dict[str, int] = {}
    for number, values in data_rows(session, located):
        code = read_code(session, located, number, values, "功能分类编码", length=7)
        text = read_text(session, located, number, values, "主要用途")
        if code in seen:
            session.report(DUPLICATE_KEY, f"“{located.name}”中的科目“{code}”重复，第{seen[code]}行已填写过",
                           session.cell(located, number, "功能分类编码"),
                           "删除多余的行，只保留正确的一行（重复时使用最后一行）。", actual=code)
        if code:
            seen[code] = number
            purposes[code] = text
            cells[code] = session.cell(located, number, "主要用途")
    return purposes


def read_statements(session: Session, located: SheetRows | None) -> Iterator[Statement]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        project = read_text(session, located, number, values, "项目编码", code=True)
        sections = tuple((s, read_text(session, located, number, values, s, required=False))
                         for s in contract.STATEMENT_SECTIONS)
        if project:
            yield Statement(project, sections, session.where(located.name, number))
