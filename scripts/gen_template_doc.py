"""Write docs/template.md — the input template contract — from xlbudget/contract.py.

A test fails when the file is out of date: python scripts/gen_template_doc.py
"""

from __future__ import annotations

from pathlib import Path

from xlbudget import contract

OUT = Path(__file__).resolve().parent.parent / "docs" / "template.md"
KIND = {"text": "文字", "code": "编码（文本）", "amount": "金额", "choice": "下拉选项"}


def render() -> str:
    lines = ["# 填报模板约定（输入工作簿）", "",
             "本文件由 `scripts/gen_template_doc.py` 根据 `xlbudget/contract.py` 生成，请勿手改。", "",
             "程序按**工作表名称**和**表头文字**识别数据：可以调整列序、增加自己的列、在表头上方加标题行；"
             "表头文字和工作表名称不可修改。金额按“基本信息”中的金额单位填写（元最多 2 位小数，万元最多 6 位小数）。", ""]
    for sheet in contract.SHEETS:
        lines += [f"## {sheet.name}（{'必需' if sheet.required else '可选'}）", "", sheet.purpose, "",
                  "| 表头 | 必填 | 类型 | 说明 |", "| --- | --- | --- | --- |"]
        for column in sheet.columns:
            note = column.help or (f"可选值见“{column.choices}”" if column.choices else "")
            lines.append(f"| {column.header} | {'是' if column.required else '否'} | {KIND[column.kind]} | {note} |")
        lines.append("")
    lines += ["## 约定的项目名", "", f"- 基本信息：{'、'.join(contract.INFO_KEYS)}",
              f"- 上年数：{'、'.join(contract.PRIOR_KEYS)}", f"- 说明事项：{'、'.join(contract.NOTE_KEYS)}", "",
              "## 下拉选项（词表）", ""]
    lines += [f"- {name}：{'、'.join(values)}" for name, values in contract.VOCABULARIES.items()]
    lines += ["", "资金来源分组：财政拨款 = " + "、".join(contract.FISCAL) + "；单位资金 = "
              + "、".join(contract.UNIT_FUNDS) + "；上年结转结余 = " + "、".join(contract.CARRYOVER) + "。", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
