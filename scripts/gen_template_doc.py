"""Write docs/template.md — the input template contract — from xlbudget/contract.py.

A test fails when the file is out of date: python scripts/gen_template_doc.py
"""

from __future__ import annotations

from pathlib import Path

from xlbudget import contract, profiles
from xlbudget.accounts_contract import ACCOUNTS
from xlbudget.reading.stamp import FORMAT_KEY, VERSION_KEY

OUT = Path(__file__).resolve().parent.parent / "docs" / "template.md"
KIND = {"text": "文字", "code": "编码（文本）", "amount": "金额", "choice": "下拉选项"}


def render() -> str:
    lines = ["# 填报模板约定（输入工作簿）", "",
             "本文件由 `scripts/gen_template_doc.py` 根据 `xlbudget/contract.py` 生成，请勿手改。", "",
             "程序按**工作表名称**和**表头文字**识别数据：可以调整列序、增加自己的列、在表头上方加标题行；"
             "表头文字和工作表名称不可修改。金额按“基本信息”中的金额单位填写（元最多 2 位小数，万元最多 6 位小数）。", "",
             f"当前为第 {contract.CURRENT.version} 版（`contract.CURRENT`）。", ""]
    lines += _sheets(contract.CURRENT, "##")
    current = contract.CURRENT
    lines += ["## 约定的项目名", "", f"- 基本信息：{'、'.join(current.info_keys)}",
              f"- 上年数：{'、'.join(current.prior_keys)}", f"- 说明事项：{'、'.join(current.note_keys)}", "",
              "## 公开格式的记载", "",
              f"`xlbudget template --profile 格式` 生成的模板在基本信息末尾多两行：“{FORMAT_KEY}”（格式名称，如 "
              f"shanghai-unit）和“{VERSION_KEY}”（所用输入约定的版本）。填报人看得到、可以改。`compile`、`check` 和 "
              "`template --from` 不写 `--profile` 时按“公开格式”选择格式；写了另一种格式时报告 XB150（两种格式都写出），"
              "记载的名称不是内置格式时报告 XB151，都不读取数据、退出码 2。没有这两行的工作簿（早先的模板）按 "
              f"{profiles.DEFAULT} 读取，与以前相同；但它在 {profiles.DEFAULT} 不读取、另一种内置格式才读取的工作表或列"
              "（如上海格式的“功能科目用途”“项目经费情况说明”、项目的“已设绩效目标”）中填写了内容时报告 XB152，"
              "指向第一个这样的单元格并写出可能的格式，同样不读取数据、退出码 2：在基本信息末尾加一行“公开格式”，"
              "或写 `--profile`。", "",
              "## 下拉选项（词表）", ""]
    lines += [f"- {name}：{'、'.join(values)}" for name, values in contract.VOCABULARIES.items()]
    lines += ["", "资金来源分组：财政拨款 = " + "、".join(contract.FISCAL) + "；单位资金 = "
              + "、".join(contract.UNIT_FUNDS) + "；上年结转结余 = " + "、".join(contract.CARRYOVER) + "。", ""]
    lines += ["## 增加一项输入（维护人员）", "",
              "新输入只能是可选的增加，旧工作簿照样读取：在 `xlbudget/contract.py` 中由当前版本派生新版本，"
              "一处写完，例如", "",
              "```python",
              "CONTRACT_V2 = CONTRACT_V1.extended(",
              "    2, columns={\"项目\": (Column(\"主要用途\", required=False, width=40),)},",
              "    note_keys=(\"资产统计日期\",))",
              "```", "",
              "再把它加入 `CONTRACTS`（需要它的格式配置写 `contract = 2`，或改 `CURRENT`）。读取和模板生成都按所选版本"
              "的工作表和表头进行；可选列的值由读取处按表头取用。然后运行本脚本更新本文件。", ""]
    lines += ["## 部门决算填报模板", "",
              "部门决算（`--profile juesuan-2024` 等 family = \"决算\" 的格式）用另一份模板"
              "（`xlbudget/accounts_contract.py`）：`xlbudget template --profile juesuan-2024` 生成。"
              "基本信息、单位、上年数、说明事项与预算模板相同；其余各表如下。", ""]
    lines += _sheets(ACCOUNTS, "###", skip=frozenset(s.name for s in contract.CURRENT.sheets))
    lines += [f"- 上年数：{'、'.join(ACCOUNTS.prior_keys)}", f"- 说明事项：{'、'.join(ACCOUNTS.note_keys)}", ""]
    return "\n".join(lines)


def _sheets(version: contract.Contract, level: str, skip: frozenset[str] = frozenset()) -> list[str]:
    lines: list[str] = []
    for sheet in version.sheets:
        if sheet.name in skip:
            continue
        lines += [f"{level} {sheet.name}（{'必需' if sheet.required else '可选'}）", "", sheet.purpose, "",
                  "| 表头 | 必填 | 类型 | 说明 |", "| --- | --- | --- | --- |"]
        for column in sheet.columns:
            note = column.help or (f"可选值见“{column.choices}”" if column.choices else "")
            lines.append(f"| {column.header} | {'是' if column.required else '否'} | {KIND[column.kind]} | {note} |")
        lines.append("")
    return lines


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
