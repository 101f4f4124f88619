"""Reading rules: the file and its sheets, cells, duplicate keys and references between sheets.

Most reading findings are reported while reading — by ``safety`` (the file's bytes), ``reader``
(it alone sees the cells), ``consolidate`` and ``pipeline`` — and their rules are described here. The checks below need the
whole budget: duplicates and references across sheets.
"""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check, row_ref
from xlbudget.findings import ERROR, INFO, WARNING, Finding, Location

FAMILY = "读取"


def _rule(id: str, severity: str, title: str, description: str, hint: str) -> Rule:
    return Rule(id, severity, title, hint, FAMILY, description)


# Rules reported while reading (reader.py, pipeline.py, consolidate.py).
REPORTED_ELSEWHERE: tuple[Rule, ...] = (
    _rule("XB001", ERROR, "文件找不到或无法打开",
          "输入路径不存在、是文件夹、没有读取权限，或工作簿读取失败。文件无法使用时不再做其他校验，"
          "退出码为 2。",
          "确认文件路径；在 Excel 或 WPS 中打开后另存为 .xlsx 再试。"),
    _rule("XB002", ERROR, "输出、格式配置或科目文件无法使用",
          "输出文件无法写入（无权限、就是输入文件本身），或 --profile 指定的格式配置、--catalog 指定的"
          "自定义科目文件无法使用。退出码为 2。",
          "换一个输出路径；检查格式配置名称和自定义科目 CSV 的表头。"),
    _rule("XB003", ERROR, "空文件",
          "输入文件大小为 0 字节，通常是复制或下载没有完成。退出码为 2。",
          "重新复制或下载该文件。"),
    _rule("XB004", ERROR, "不是 Excel 工作簿",
          "文件内容不是 Excel 工作簿：例如改了扩展名的 CSV、Word 文档、普通压缩包，或已损坏、不完整的文件。"
          "程序按文件内容而不是扩展名判断。退出码为 2。",
          "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（.xlsx）后再试。"),
    _rule("XB005", ERROR, "工作簿已加密",
          "工作簿设置了打开密码，无法读取。退出码为 2。",
          "在 Excel 或 WPS 中取消打开密码后另存，再试。"),
    _rule("XB006", ERROR, "文件解压后过大（疑似压缩炸弹）",
          ".xlsx 是压缩包；解压后的总大小或压缩比超过上限时拒绝读取，以免耗尽内存。正常填报的工作簿"
          "远小于上限。退出码为 2。",
          "确认文件来源；在 Excel 或 WPS 中打开后另存为 .xlsx 再试。"),
    _rule("XB007", ERROR, "工作簿含有 XML 实体声明",
          "工作簿内部的 XML 含有文档类型或实体声明（<!DOCTYPE>/<!ENTITY>）。正常的 Excel/WPS 文件不含这些"
          "声明，它们可被用来攻击读取程序，因此拒绝读取。退出码为 2。",
          "确认文件来源；在 Excel 或 WPS 中打开后另存为 .xlsx 再试。"),
    _rule("XB008", ERROR, "文件或工作表过大",
          "文件大小或某个工作表的数据区域（从 A1 算起的行数、列数、单元格数）超过上限。常见原因是在很远的"
          "行或列误填了内容或设置了格式。退出码为 2。",
          "删除数据区域以外的多余行列（全选后删除），保存后再试。"),
    _rule("XB101", ERROR, "缺少工作表",
          "模板中的必填工作表（基本信息、单位、收入、基本支出、项目、项目支出、绩效目标）在文件中找不到。"
          "说明会列出文件中实际有哪些工作表，便于发现改名或删除的表。",
          "使用 xlbudget template 生成的模板，保留原工作表名称。"),
    _rule("XB102", ERROR, "缺少列",
          "工作表的表头行中找不到必填列。列按表头文字识别（可调整列序、可增加自己的列），"
          "但表头文字必须与模板一致。",
          "把表头改回模板中的文字。"),
    _rule("XB103", ERROR, "必填单元格为空",
          "数据行中必须填写的单元格（如单位编码、资金来源、金额、三级指标、指标值）为空。",
          "补填该单元格；整行作废时请删除整行。"),
    _rule("XB104", ERROR, "金额无法识别",
          "金额单元格不是数字，例如含有文字、多个小数点或是公式错误值。允许千分位逗号、全角数字、"
          "“-”表示零，以及末尾的“元”“万元”字样。",
          "只填写数字，例如 3846.29。"),
    _rule("XB105", ERROR, "取值不在可选范围内",
          "资金来源、单位类型、项目类型、一级指标等只能填写模板下拉列表中的值（忽略空格与全角半角差异）。",
          "从下拉列表中选择。"),
    _rule("XB106", ERROR, "编码格式不正确",
          "单位编码和科目编码须为数字；功能分类编码为 7 位项级科目（可填 3/5 位以便提示末级科目），"
          "经济分类编码为 5 位款级科目。",
          "按模板说明填写数字编码，编码列请设置为文本格式以保留前导 0。"),
    _rule("XB107", WARNING, "数据只在模板以外的列中",
          "某行在模板规定的列中没有内容，只在自己增加的列中有内容，该行未被读取。"
          "每一行非空数据要么被读取，要么在这里报告，不会被悄悄丢弃。",
          "如为预算数据，请填入模板列；否则可忽略或删除该行。"),
    _rule("XB108", ERROR, "基本信息填写有误",
          "基本信息中的“预算年度”须为四位年份，“金额单位”须为“万元”或“元”。",
          "在基本信息表中按说明填写。"),
    _rule("XB109", ERROR, "金额为负数",
          "预算金额不能为负数。收入、支出、上年数都按正数填写；冲减或调减应直接填写调整后的金额。",
          "填写调整后的正数金额。"),
    _rule("XB110", ERROR, "金额小数位数超过金额单位允许的位数",
          "金额须精确到分：金额单位为“元”时最多 2 位小数，为“万元”时最多 6 位小数。"
          "小数位过多通常是金额单位填错（例如按元录入的数据却把金额单位写成万元，或反之）。"
          "Excel/WPS 保存公式结果时带有浮点误差（如 =1.1+2.2 存为 3.3000000000000003），与某个精确到分的金额"
          "相差不到千分之一分（或只差浮点数的最后几位）的数值按该金额读取，不报告；比分多一位小数（0.1 分）的"
          "数值总是报告，多两位小数（0.01 分）的在 10 亿元以下总是报告。",
          "核对基本信息的金额单位与录入的金额是否一致。"),
    _rule("XB111", ERROR, "同一部门的单位工作簿之间不一致",
          "合并编制多个单位工作簿时，预算年度、部门编码须一致，同一单位编码只能出现在一个工作簿中。"
          "各工作簿的金额单位不同时按分精确换算后合并，作为提示报告。",
          "统一各工作簿的基本信息；删除重复填报的单位。"),
    _rule("XB112", INFO, "上年数或说明事项中有非约定项目",
          "“上年数”“说明事项”的“项目”列应使用约定的项目名（见模板填报说明）。"
          "非约定的项目名照样保留，但预算说明不会使用它。",
          "如是约定项目的别写，请改为约定的名称。"),
    _rule("XB113", INFO, "未填写金额单位",
          "基本信息未填写“金额单位”，按“万元”读取全部金额。",
          "在基本信息中填写“万元”或“元”。"),
    _rule("XB114", ERROR, "同一项目填写了多行",
          "基本信息、上年数、说明事项中同一个项目只能填写一行；重复时只使用最后一行，"
          "哪一行正确无法判断。",
          "删除多余的行，只保留正确的一行。"),
    _rule("XB115", ERROR, "公式没有保存计算结果",
          "单元格是公式，但文件中没有保存它的计算结果（例如由其他程序生成、从未在 Excel/WPS 中打开并保存过），"
          "程序不计算公式，因而无法读取该值。",
          "用 Excel 或 WPS 打开此文件、保存一次后再试，或把公式改为数值。"),
    _rule("XB116", ERROR, "单元格是错误值",
          "单元格显示 #DIV/0!、#N/A、#REF! 等错误值，无法作为数据读取。",
          "修正公式，或直接填写数值。"),
    _rule("XB117", WARNING, "合并单元格",
          "数据区中有合并单元格。编码或文字向下合并时，其值用于所覆盖的每一行（提示）；其他合并（如金额）"
          "只有左上角单元格有值，其余按空白读取（警告）。",
          "数据区中不要合并单元格，每行填写完整。"),
    _rule("XB118", INFO, "隐藏的工作表或行",
          "隐藏的工作表和隐藏行中的数据照常读取（隐藏不等于删除），作为提示列出，以免被遗忘的数据混入公开表。",
          "如其中的数据不应使用，请删除这些行或工作表。"),
    _rule("XB130", ERROR, "金额超过上限",
          "单笔金额不能超过 1 万亿元（1,000,000,000,000 元，即 100,000,000 万元）。这样大的数不是部门预算，"
          "而是录入错误（多输了数字，或单元格显示为 1E+30 这样的科学计数法）；超出后合计也无法精确计算。",
          "核对该金额和基本信息的金额单位。"),
    _rule("XB119", ERROR, "模板工作表的副本中有数据",
          "工作表名是模板工作表名加上后缀，如“收入 (2)”“项目支出（2）”“收入-副本”（Excel/WPS“移动或复制工作表”"
          "生成的名称），或与模板工作表同名的第二个工作表，其中有数据行。这些行不读取：副本多是备份、草稿或另一个"
          "版本，并入原表读取可能把同一笔钱算两次，不读又会让钱悄悄从公开表中消失，所以报告为错误，给出行数，"
          "由填报人决定。原表不存在时按“改了名的工作表”报告。",
          "如这些行是预算数据，请移到原工作表中；如是备份或草稿，请删除该工作表或另存到其他文件。"),
    _rule("XB125", WARNING, "模板以外的工作表中有数字",
          "工作簿中有模板以外的工作表（不是模板工作表，也不是它的副本），其中有数字，未读取。常见于自己的测算表、"
          "底稿；如是预算数据，就没有进入公开表。数据区域过大或无法读取、因而无法查看的模板以外的工作表也在此列出。",
          "只读取模板中的工作表；如其中有预算数据，请填入对应的模板工作表。"),
    _rule("XB126", ERROR, "表头重复",
          "同一工作表的表头行中，模板的某个表头（如“金额”）出现了两次或更多，无法确定应读取哪一列。说明中列出"
          "每一个重复的单元格；在改正之前按第一列读取，但作为错误不生成公开表。",
          "删除多余的列，或把它的表头改为其他文字，只保留一列。"),
    _rule("XB127", ERROR, "预算没有部门编码、部门名称或单位",
          "基本信息未填写部门编码或部门名称，或“单位”表中没有任何单位（例如直接编制空白模板）。公开表不能没有"
          "部门和单位，因此不生成。",
          "在基本信息中填写部门编码和部门名称，在“单位”表中填写部门本级及所属单位。"),
    _rule("XB128", WARNING, "预算年度与模板年度不同",
          "xlbudget 生成的模板在“填报说明”第一行记载模板年度（如“2022年度部门预算填报模板”）。基本信息的"
          "“预算年度”与之不同，多半是沿用了上一年的模板：科目下拉列表是模板年度的科目。",
          "如确为该年度预算，请用 xlbudget template --year 年度 生成当年模板；否则改正预算年度。"),
    _rule("XB129", WARNING, "编码的前导 0 丢失",
          "单位编码或项目编码单元格是数字（常规格式下输入 001001 会变成 1001），去掉前导 0 后与“单位”或“项目”"
          "表中唯一一个编码相同，按该编码读取。两个编码去掉前导 0 后相同时不猜测。",
          "把编码列设为文本格式后重新输入编码（xlbudget template 生成的模板中编码列已是文本格式）。"),
)


@check(Rule("XB120", ERROR, "单位编码重复", "每个单位只填写一行；如确为两个单位，请给其中一个改用正确的编码。",
            FAMILY))
def duplicate_units(ctx: Context) -> Iterator[Finding]:
    """单位表中同一个单位编码只能出现一次：两行同一编码时，收入和支出无法确定属于哪一行的单位。"""
    seen: dict[str, Location] = {}
    for unit in ctx.budget.units:
        if unit.code in seen:
            yield duplicate_units.rule.finding(
                f"单位编码“{unit.code}”重复，{row_ref(seen[unit.code], unit.where)}已填写过", ctx.cell(unit.where, "单位编码"),
                actual=unit.code, unit=unit.code)
        else:
            seen[unit.code] = unit.where


@check(Rule("XB121", ERROR, "项目编码重复",
            "每个项目只填写一行；如确为两个项目，请核对项目库中的项目编码。", FAMILY))
def duplicate_projects(ctx: Context) -> Iterator[Finding]:
    """项目表中同一个项目编码只能出现一次：项目支出和绩效目标按项目编码归属项目。"""
    seen: dict[str, Location] = {}
    for project in ctx.budget.projects:
        if project.code in seen:
            yield duplicate_projects.rule.finding(
                f"项目编码“{project.code}”（{project.name}）重复，{row_ref(seen[project.code], project.where)}已填写过",
                ctx.cell(project.where, "项目编码"), actual=project.code, unit=project.unit,
                project=project.code)
        else:
            seen[project.code] = project.where


@check(Rule("XB122", ERROR, "引用了未登记的单位",
            "先在“单位”表中登记该单位，或改正单位编码。", FAMILY))
def unknown_units(ctx: Context) -> Iterator[Finding]:
    """收入、基本支出和项目表中的单位编码必须是“单位”表中登记的单位，否则无法取得单位名称和类型，
    公开表中会显示为“单位表中未登记的单位”。"""
    b = ctx.budget
    rows = [("收入", i.unit, i.where) for i in b.incomes]
    rows += [("基本支出", line.unit, line.where) for line in b.lines if line.is_basic]
    rows += [("项目", p.unit, p.where) for p in b.projects]
    for sheet, code, where in rows:
        if code and b.unit(code) is None:
            yield unknown_units.rule.finding(
                f"{sheet}表中的单位编码“{code}”未在“单位”表中登记", ctx.cell(where, "单位编码"),
                actual=code, unit=code)


@check(Rule("XB123", ERROR, "引用了未登记的项目",
            "先在“项目”表中登记该项目（项目名称、类型、单位），或改正项目编码。", FAMILY))
def unknown_projects(ctx: Context) -> Iterator[Finding]:
    """项目支出和绩效目标中的项目编码必须是“项目”表中登记的项目，否则无法确定项目名称、类型和所属单位。"""
    b = ctx.budget
    rows = [("项目支出", line.project, line.where) for line in b.lines if not line.is_basic]
    rows += [("绩效目标", i.project, i.where) for i in b.indicators]
    for sheet, code, where in rows:
        if b.project(code) is None:
            yield unknown_projects.rule.finding(
                f"{sheet}表中的项目编码“{code}”未在“项目”表中登记", ctx.cell(where, "项目编码"),
                actual=code, project=code)


@check(Rule("XB124", WARNING, "重复的收支行",
            "如是重复录入，删除其中一行；如确为两笔，合并为一行填写合计金额。", FAMILY))
def duplicate_rows(ctx: Context) -> Iterator[Finding]:
    """收入表每个“单位 × 资金来源”、基本支出表每个“单位 × 功能分类 × 经济分类 × 资金来源”、
    项目支出表每个“项目 × 功能分类 × 经济分类 × 资金来源”应只有一行。同一组合出现两行，
    多半是重复录入（金额会被加总）。"""
    b = ctx.budget
    keyed: list[tuple[tuple[str, ...], str, Location, int]] = [
        (("收入", i.unit, i.source), i.unit, i.where, i.amount) for i in b.incomes]
    keyed += [(("支出", line.unit if line.is_basic else "", line.project, line.function, line.econ,
                line.source), line.unit, line.where, line.amount) for line in b.lines]
    seen: dict[tuple[str, ...], Location] = {}
    for key, unit, where, amount in keyed:
        first = seen.setdefault(key, where)
        if first != where:
            yield duplicate_rows.rule.finding(
                f"与{row_ref(first, where)}的{_describe(key)}相同，金额 {ctx.amount(amount)}将与之加总",
                where.at(""), unit=unit, project=key[2] if key[0] == "支出" else "")


def _describe(key: tuple[str, ...]) -> str:
    if key[0] == "收入":
        return f"单位“{key[1]}”、资金来源“{key[2]}”"
    owner = f"项目“{key[2]}”" if key[2] else f"单位“{key[1]}”"
    return f"{owner}、功能分类“{key[3]}”、经济分类“{key[4]}”、资金来源“{key[5]}”"


CHECKS = (duplicate_units, duplicate_projects, unknown_units, unknown_projects, duplicate_rows)
