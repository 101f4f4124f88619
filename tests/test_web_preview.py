"""The page's table preview is laid out like the printed sheet: merged header tree, merged group
cells, bold totals, amounts in 万元 with two decimals and zeros left blank, text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from xlbudget.pipeline import Outcome
from xlbudget.tables.base import CODE, DETAIL, TEXT, TOTAL, Column, Row, Table
from xlbudget.web.preview import table_html

COLUMNS = (Column(("科目编码", "类"), CODE, 4), Column(("科目编码", "款"), CODE, 4), Column(("名称",), TEXT, 20),
           Column(("合计",)), Column(("基本支出", "小计")), Column(("基本支出", "人员经费")))


class Cells(HTMLParser):
    """Rows of (tag, rowspan, colspan, text) for every th/td."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, int, int, str]]] = []
        self.bold: list[bool] = []
        self._cell: list[object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr":
            self.rows.append([])
            self.bold.append(a.get("class") == "bold")
        elif tag in ("th", "td"):
            self._cell = [tag, int(a.get("rowspan") or 1), int(a.get("colspan") or 1), ""]

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[3] = str(self._cell[3]) + data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))  # type: ignore[arg-type]
            self._cell = None


def cells(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


def test_a_table_as_printed() -> None:
    table = Table("t03", "单位支出预算表", "2022年单位支出预算表", "测试<部门>", COLUMNS, (
        Row((None, None, "合计", 12_345_678, 4_999, 0), TOTAL),
        Row(("201", "03", "行政运行 <b>", 1_000_000, 1_000_000, 0), DETAIL, group=1),
        Row(("201", "03", "一般行政管理事务", 5_000, None, 5_000), DETAIL, group=1),
    ), note="注：本表无数据的栏目为空。", merge_down=(0, 1), org_label="单位名称")
    html = table_html(table)
    parsed = cells(html)
    assert parsed.rows == [
        [("th", 1, 2, "科目编码"), ("th", 2, 1, "名称"), ("th", 2, 1, "合计"), ("th", 1, 2, "基本支出")],
        [("th", 1, 1, "类"), ("th", 1, 1, "款"), ("th", 1, 1, "小计"), ("th", 1, 1, "人员经费")],
        # 123,456.78 元 = 12.35 万元; 49.99 元 rounds to 0.00 万元 and is left blank, as is 0
        [("td", 1, 1, ""), ("td", 1, 1, ""), ("td", 1, 1, "合计"), ("td", 1, 1, "12.35"), ("td", 1, 1, ""),
         ("td", 1, 1, "")],
        [("td", 2, 1, "201"), ("td", 2, 1, "03"), ("td", 1, 1, "行政运行 <b>"), ("td", 1, 1, "1.00"),
         ("td", 1, 1, "1.00"), ("td", 1, 1, "")],
        [("td", 1, 1, "一般行政管理事务"), ("td", 1, 1, "0.01"), ("td", 1, 1, ""), ("td", 1, 1, "0.01")],
    ]
    assert parsed.bold == [False, False, True, False, False]
    assert "<h3>2022年单位支出预算表</h3>" in html and "单位名称：测试&lt;部门&gt;" in html and "单位：万元" in html
    assert '<p class="note">注：本表无数据的栏目为空。</p>' in html
    assert re.findall(r'<col style="width:(\d+)px">', html) == ["32", "32", "160", "96", "96", "96"]


def test_the_examples_expenditure_table(luoyang: Outcome) -> None:
    """单位支出预算表 of the example, rows as in the published table (source/NOTES.md)."""
    table = next(t for t in luoyang.tables if t.key == "t03")
    rows = [[c[3] for c in row] for row in cells(table_html(table)).rows]
    assert ["201", "03", "01", "", "行政运行", "263.10", "263.10", "228.70", "", "32.40", "2.00", "", "", ""] in rows
    assert ["", "", "", "", "合计", "3,846.29", "328.30", "293.90", "", "32.40", "2.00", "3,517.99", "145.00",
            "3,372.99"] in rows


def test_a_table_in_yuan_without_decimals_and_its_own_label() -> None:
    table = Table("t01", "收入表", "2023年收入表", "测试部门", (Column(("项目",), TEXT), Column(("金额",))),
                  (Row(("合计", 12_345_650), TOTAL),), org_label="编制单位", unit="元", decimals=0)
    html = table_html(table)
    assert [c[3] for c in cells(html).rows[1]] == ["合计", "123,457"]  # 123,456.50 元, half away from zero
    assert "<span>编制单位：测试部门</span><span>单位：元</span>" in html
