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
             "模板由两部分组成：各种格式共有的**基本模板**（下文各表；它随年度变化的各版见“模板版本”），和格式在"
             "格式配置的 `inputs` 中声明的**可选输入**（见“可选输入”）。`xlbudget template --profile 格式` 生成的模板"
             "恰好是基本模板加上该格式声明的可选输入，读取时也只读这些。", "",
             f"基本模板当前为第 {contract.CURRENT.version} 版（`contract.CURRENT`）。", ""]
    lines += _sheets(contract.CURRENT, "##")
    current = contract.CURRENT
    lines += ["## 约定的项目名", "", f"- 基本信息：{'、'.join(current.info_keys)}",
              f"- 上年数：{'、'.join(current.prior_keys)}", f"- 说明事项：{'、'.join(current.note_keys)}", ""]
    lines += _optional_inputs()
    lines += ["## 模板版本", "",
              "“模板版本”只随时间变化：基本模板在某一年改变（增加可选的列、工作表或项目名）时得到新的版本号，"
              "旧版本的工作簿照样读取。地区的差别不是版本，而是格式声明的可选输入。", ""]
    lines += [f"- 第 {version} 版：{'现行' if c is current else '较早'}的基本模板。" for version, c in contract.CONTRACTS.items()]
    lines += [f"- 第 {number} 版（不再使用的编号）：曾是第 {version} 版加上海格式的输入（{'、'.join(held)}）。"
              f"基本信息记载“{VERSION_KEY}”为 {number} 的工作簿按第 {version} 版和其“公开格式”声明的输入读取；"
              f"格式配置写 `contract = {number}` 等同于 `contract = {version}` 并声明这些输入。"
              for number, (version, held) in contract.LEGACY_CONTRACTS.items()]
    lines += ["", "## 公开格式的记载", "",
              f"`xlbudget template --profile 格式` 生成的模板在基本信息末尾多两行：“{FORMAT_KEY}”（格式名称，如 "
              f"shanghai-unit）和“{VERSION_KEY}”（基本模板的版本）。填报人看得到、可以改。`compile`、`check` 和 "
              "`template --from` 不写 `--profile` 时按“公开格式”选择格式；写了另一种格式时报告 XB150（两种格式都写出；"
              "同一族、声明相同可选输入的格式可以互换，如 shanghai-unit 的单位工作簿编入 shanghai-department 的部门），"
              "记载的名称不是内置格式时报告 XB151，都不读取数据、退出码 2。没有这两行的工作簿（早先的模板）按 "
              f"{profiles.DEFAULT} 读取，与以前相同；但它在 {profiles.DEFAULT} 不读取、另一种内置格式才读取的工作表或列"
              "（如上海格式的“功能科目用途”“项目经费情况说明”、项目的“已设绩效目标”）中填写了内容时报告 XB152，"
              "指向第一个这样的单元格并写出可能的格式，同样不读取数据、退出码 2：在基本信息末尾加一行“公开格式”，"
              "或写 `--profile`。按所选格式（`--profile` 或记载的格式）读取时，工作簿中该格式没有声明的可选输入报告"
              "提示 XB153，指向第一个填写的单元格，其内容不用于公开表和预算说明。", "",
              "## 下拉选项（词表）", ""]
    lines += [f"- {name}：{'、'.join(values)}" for name, values in contract.VOCABULARIES.items()]
    lines += ["", "资金来源分组：财政拨款 = " + "、".join(contract.FISCAL) + "；单位资金 = "
              + "、".join(contract.UNIT_FUNDS) + "；上年结转结余 = " + "、".join(contract.CARRYOVER) + "。", ""]
    lines += ["## 增加一项输入（维护人员）", "",
              "只有部分格式需要的输入是**可选输入**：在 `xlbudget/contract.py` 的 `INPUTS` 中加一项 `OptionalInput`，"
              "一处写完——中文名称（格式配置的 `inputs` 写它）、填报说明，以及它带来的工作表、基本模板工作表末尾的列、"
              "上年数或说明事项的项目，例如", "",
              "```python",
              "OptionalInput(\"政府购买服务\", \"“政府购买服务”表：……，每项目一行\",",
              "              sheets=(Sheet(\"政府购买服务\", (Column(\"项目编码\", kind=\"code\", choices=\"项目编码\"), …),",
              "                            \"政府购买服务预算，每项目一行\", required=False),)),",
              "```", "",
              "工作表和列须是选填的。模板生成、填报说明、旧工作簿的识别（XB152、XB153）都由它得出；读取它的值在 "
              "`xlbudget/reader.py`（`located.get(\"工作表名\")`，格式没有声明时为 None）。需要它的格式在 `inputs` 中写上"
              "它的名称；然后运行本脚本更新本文件。", "",
              "基本模板本身改变（各格式都要的新输入）时才增加**模板版本**：由当前版本派生，只能增加可选的输入，"
              "例如 `CONTRACT_V3 = CONTRACT_V1.extended(3, note_keys=(…,))`，加入 `CONTRACTS` 并设为 `CURRENT`"
              "（第 2 号已被旧的上海模板占用，见“模板版本”）。", ""]
    lines += ["## 部门决算填报模板", "",
              "部门决算（`--profile juesuan-2024` 等 family = \"决算\" 的格式）用另一份模板"
              "（`xlbudget/accounts_contract.py`）：`xlbudget template --profile juesuan-2024` 生成。"
              "基本信息、单位、上年数、说明事项与预算模板相同；其余各表如下。", ""]
    lines += _sheets(ACCOUNTS, "###", skip=frozenset(s.name for s in contract.CURRENT.sheets))
    lines += [f"- 上年数：{'、'.join(ACCOUNTS.prior_keys)}", f"- 说明事项：{'、'.join(ACCOUNTS.note_keys)}", ""]
    return "\n".join(lines)


def _optional_inputs() -> list[str]:
    """Each optional input: its guide, what it adds to the template, the built-in formats declaring it."""
    from xlbudget.profile import load_profile

    declaring = {name: [f for f in profiles.names() if name in load_profile(f).inputs] for name in contract.INPUTS}
    lines = ["## 可选输入", "",
             "格式在格式配置中写 `inputs = [\"功能科目用途\", …]` 声明自己读取的可选输入（见 docs/profiles.md）；"
             "模板只列出所声明的，并在填报说明“本格式的可选输入”中逐项说明。", ""]
    for name, item in contract.INPUTS.items():
        lines += [f"### {name}", "", f"{item.guide}。声明它的内置格式：{'、'.join(declaring[name]) or '无'}。", ""]
        notes = (*item.note_keys, *item.counts, *(contract.PLANNED + key for key in item.counts))
        added = [f"- “{sheet}”表末尾的列“{column.header}”（选填）：{column.help}" for sheet, column in item.columns]
        if item.prior_keys:
            added.append(f"- 上年数的项目：{'、'.join(item.prior_keys)}")
        if notes:
            added.append(f"- 说明事项的项目：{'、'.join(notes)}")
        lines += [*added, ""] if added else []
        lines += _sheets(contract.Contract(0, item.sheets, (), (), ()), "####")
    return lines


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
