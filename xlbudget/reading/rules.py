"""The rules reported while reading: by ``safety`` (the file's bytes), the reading modules (the
cells), ``consolidate``, ``pipeline`` and ``batch``. Each is declared here once — id, severity,
title, description, hint — and reported through its ``Rule`` object; ``checks`` lists them in the
rule catalogue (docs/rules.md). Imports only ``findings``, so every module below the reader can
use them.
"""

from __future__ import annotations

from xlbudget.findings import ERROR, INFO, WARNING, Rule

READING, CATALOG = "读取", "科目"  # the families of docs/rules.md these rules belong to


def _rule(id: str, severity: str, title: str, description: str, hint: str, also: tuple[str, ...] = ()) -> Rule:
    return Rule(id, severity, title, hint, READING, description, also)


CANNOT_OPEN = _rule("XB001", ERROR, "文件找不到或无法打开",
              "输入路径不存在、是文件夹、没有读取权限，或工作簿读取失败。文件无法使用时不再做其他校验，"
              "退出码为 2。",
              "确认文件路径；在 Excel 或 WPS 中打开后另存为 .xlsx 再试。")
UNUSABLE_SETTINGS = _rule("XB002", ERROR, "输出、格式配置或科目文件无法使用",
                    "输出文件无法写入（无权限、就是输入文件本身），或 --profile 指定的格式配置、--catalog 指定的"
                    "自定义科目文件无法使用。退出码为 2。",
                    "换一个输出路径；检查格式配置名称和自定义科目 CSV 的表头。")
EMPTY_FILE = _rule("XB003", ERROR, "空文件",
             "输入文件大小为 0 字节，通常是复制或下载没有完成。退出码为 2。",
             "重新复制或下载该文件。")
NOT_A_WORKBOOK = _rule("XB004", ERROR, "不是 Excel 工作簿",
                 "文件内容不是 Excel 工作簿：例如改了扩展名的 CSV、Word 文档、普通压缩包，或已损坏、不完整的文件。"
                 "程序按文件内容而不是扩展名判断。退出码为 2。",
                 "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（.xlsx）后再试。")
ENCRYPTED = _rule("XB005", ERROR, "工作簿已加密",
            "工作簿设置了打开密码，无法读取。退出码为 2。",
            "在 Excel 或 WPS 中取消打开密码后另存，再试。")
ZIP_BOMB = _rule("XB006", ERROR, "文件解压后过大（疑似压缩炸弹）",
           ".xlsx 是压缩包；解压后的总大小或压缩比超过上限时拒绝读取，以免耗尽内存。正常填报的工作簿"
           "远小于上限。退出码为 2。",
           "确认文件来源；在 Excel 或 WPS 中打开后另存为 .xlsx 再试。")
XML_ENTITIES = _rule("XB007", ERROR, "工作簿含有 XML 实体声明",
               "工作簿内部的 XML 含有文档类型或实体声明（<!DOCTYPE>/<!ENTITY>）。正常的 Excel/WPS 文件不含这些"
               "声明，它们可被用来攻击读取程序，因此拒绝读取。退出码为 2。",
               "确认文件来源；在 Excel 或 WPS 中打开后另存为 .xlsx 再试。")
TOO_LARGE = _rule("XB008", ERROR, "文件或工作表过大",
            "文件大小或某个工作表的数据区域（从 A1 算起的行数、列数、单元格数）超过上限。常见原因是在很远的"
            "行或列误填了内容或设置了格式。退出码为 2。",
            "删除数据区域以外的多余行列（全选后删除），保存后再试。")
MISSING_SHEET = _rule("XB101", ERROR, "缺少工作表",
                "模板中的必填工作表（基本信息、单位、收入、基本支出、项目、项目支出、绩效目标）在文件中找不到。"
                "说明会列出文件中实际有哪些工作表，便于发现改名或删除的表。",
                "使用 xlbudget template 生成的模板，保留原工作表名称。")
MISSING_COLUMNS = _rule("XB102", ERROR, "缺少列",
                  "工作表的表头行中找不到必填列。列按表头文字识别（可调整列序、可增加自己的列），"
                  "但表头文字必须与模板一致。",
                  "把表头改回模板中的文字。")
BLANK_CELL = _rule("XB103", ERROR, "必填单元格为空",
             "数据行中必须填写的单元格（如单位编码、资金来源、金额、三级指标、指标值）为空。",
             "补填该单元格；整行作废时请删除整行。")
UNREADABLE_AMOUNT = _rule("XB104", ERROR, "金额无法识别",
                    "金额单元格不是数字，例如含有文字、多个小数点或是公式错误值。允许千分位逗号、全角数字、"
                    "“-”表示零，以及末尾的“元”“万元”字样。",
                    "只填写数字，例如 3846.29。")
UNKNOWN_CHOICE = _rule("XB105", ERROR, "取值不在可选范围内",
                 "资金来源、单位类型、项目类型、一级指标等只能填写模板下拉列表中的值（忽略空格与全角半角差异）。",
                 "从下拉列表中选择。")
BAD_CODE = _rule("XB106", ERROR, "编码格式不正确",
           "单位编码和科目编码须为数字；功能分类编码为 7 位项级科目（可填 3/5 位以便提示末级科目），"
           "经济分类编码为 5 位款级科目。",
           "按模板说明填写数字编码，编码列请设置为文本格式以保留前导 0。")
OUTSIDE_COLUMNS = _rule("XB107", WARNING, "数据只在模板以外的列中",
                  "某行在模板规定的列中没有内容，只在自己增加的列中有内容，该行未被读取。"
                  "每一行非空数据要么被读取，要么在这里报告，不会被悄悄丢弃。",
                  "如为预算数据，请填入模板列；否则可忽略或删除该行。")
BAD_INFO = _rule("XB108", ERROR, "基本信息填写有误",
           "基本信息中的“预算年度”须为四位年份，“金额单位”须为“万元”或“元”。",
           "在基本信息表中按说明填写。")
NEGATIVE_AMOUNT = _rule("XB109", ERROR, "金额为负数",
                  "预算金额不能为负数。收入、支出、上年数都按正数填写；冲减或调减应直接填写调整后的金额。",
                  "填写调整后的正数金额。")
TOO_MANY_DECIMALS = _rule("XB110", ERROR, "金额小数位数超过金额单位允许的位数",
                    "金额须精确到分：金额单位为“元”时最多 2 位小数，为“万元”时最多 6 位小数。"
                    "小数位过多通常是金额单位填错（例如按元录入的数据却把金额单位写成万元，或反之）。"
                    "Excel/WPS 保存公式结果时带有浮点误差（如 =1.1+2.2 存为 3.3000000000000003），与某个精确到分的金额"
                    "相差不到千分之一分（或只差浮点数的最后几位）的数值按该金额读取，不报告；比分多一位小数（0.1 分）的"
                    "数值总是报告，多两位小数（0.01 分）的在 10 亿元以下总是报告。",
                    "核对基本信息的金额单位与录入的金额是否一致。")
WORKBOOKS_DISAGREE = _rule("XB111", ERROR, "同一部门的单位工作簿之间不一致",
                     "合并编制多个单位工作簿时，预算年度、部门编码须一致，同一单位编码只能出现在一个工作簿中。"
                     "各工作簿的金额单位不同时按分精确换算后合并，作为提示报告。",
                     "统一各工作簿的基本信息；删除重复填报的单位。", also=(INFO,))
PURPOSES_DIFFER = _rule("XB140", WARNING, "各单位填写的同一科目主要用途不同",
                  "合并编制多个单位工作簿时，每个功能分类项级科目在部门预算说明中只写一种“主要用于……”：采用部门本级"
                  "工作簿的文字（本级未填写该科目时，采用排在最前的填写了的工作簿的文字）。其他单位填写了不同文字时报告，"
                  "列出两种文字和所在工作簿。",
                  "同一科目在部门预算说明中只写一种主要用途：请在各单位工作簿中填写相同的文字，或确认采用本级的文字。")
NOTE_TEXTS_DIFFER = _rule("XB141", INFO, "单位工作簿的说明事项文字与本级不同",
                    "合并编制时，主要职能、机构设置、变动原因、资产统计日期等说明事项文字取自部门本级的工作簿（本级未填写"
                    "时取自排在最前的填写了的工作簿）；其他单位填写了不同的文字时提示，部门预算说明不采用它。本级是名称"
                    "与部门名称相同的单位，否则是编码为“部门编码+001”的单位，否则是名称以“本级”或“本部”结尾的单位；"
                    "本级的工作簿排在最前，其余按最小单位编码和文件名排序。",
                    "部门的主要职能、机构设置、变动原因等由部门本级工作簿填写；如需写入部门预算说明，请并入本级工作簿的文字。")
NOTE_NOT_SUMMABLE = _rule("XB142", WARNING, "单位工作簿的说明事项金额或数量无法相加",
                    "合并编制时，政府采购金额、车辆和设备数量按各单位工作簿相加。某单位填写的内容不是金额或整数时，"
                    "不计入部门合计。",
                    "金额填写数字（按基本信息的金额单位，或在数字后写明“元”“万元”），数量填写整数（如 2 或 2辆）。")
UNKNOWN_KEY = _rule("XB112", INFO, "上年数或说明事项中有非约定项目",
              "“上年数”“说明事项”的“项目”列应使用约定的项目名（见模板填报说明）。"
              "非约定的项目名照样保留，但预算说明不会使用它。",
              "如是约定项目的别写，请改为约定的名称。")
NO_AMOUNT_UNIT = _rule("XB113", INFO, "未填写金额单位",
                 "基本信息未填写“金额单位”，按“万元”读取全部金额。",
                 "在基本信息中填写“万元”或“元”。")
DUPLICATE_KEY = _rule("XB114", ERROR, "同一项目填写了多行",
                "基本信息、上年数、说明事项中同一个项目只能填写一行；重复时只使用最后一行，"
                "哪一行正确无法判断。",
                "删除多余的行，只保留正确的一行。")
UNCACHED_FORMULA = _rule("XB115", ERROR, "公式没有保存计算结果",
                   "单元格是公式，但文件中没有保存它的计算结果（例如由其他程序生成、从未在 Excel/WPS 中打开并保存过），"
                   "程序不计算公式，因而无法读取该值。",
                   "用 Excel 或 WPS 打开此文件、保存一次后再试，或把公式改为数值。")
ERROR_VALUE = _rule("XB116", ERROR, "单元格是错误值",
              "单元格显示 #DIV/0!、#N/A、#REF! 等错误值，无法作为数据读取。",
              "修正公式，或直接填写数值。")
MERGED_CELLS = _rule("XB117", WARNING, "合并单元格",
               "数据区中有合并单元格。编码或文字向下合并时，其值用于所覆盖的每一行（提示）；其他合并（如金额）"
               "只有左上角单元格有值，其余按空白读取（警告）。",
               "数据区中不要合并单元格，每行填写完整。", also=(INFO,))
HIDDEN_DATA = _rule("XB118", INFO, "隐藏的工作表或行",
              "隐藏的工作表和隐藏行中的数据照常读取（隐藏不等于删除），作为提示列出，以免被遗忘的数据混入公开表。",
              "如其中的数据不应使用，请删除这些行或工作表。")
AMOUNT_BEYOND_BOUND = _rule("XB130", ERROR, "金额超过上限",
                      "单笔金额不能超过 1 万亿元（1,000,000,000,000 元，即 100,000,000 万元）。这样大的数不是部门预算，"
                      "而是录入错误（多输了数字，或单元格显示为 1E+30 这样的科学计数法）；超出后合计也无法精确计算。",
                      "核对该金额和基本信息的金额单位。")
SHEET_COPY = _rule("XB119", ERROR, "模板工作表的副本中有数据",
             "工作表名是模板工作表名加上后缀，如“收入 (2)”“项目支出（2）”“收入-副本”（Excel/WPS“移动或复制工作表”"
             "生成的名称），或与模板工作表同名的第二个工作表，其中有数据行。这些行不读取：副本多是备份、草稿或另一个"
             "版本，并入原表读取可能把同一笔钱算两次，不读又会让钱悄悄从公开表中消失，所以报告为错误，给出行数，"
             "由填报人决定。原表不存在时按“改了名的工作表”报告。",
             "如这些行是预算数据，请移到原工作表中；如是备份或草稿，请删除该工作表或另存到其他文件。")
OTHER_SHEET = _rule("XB125", WARNING, "模板以外的工作表中有数字",
              "工作簿中有模板以外的工作表（不是模板工作表，也不是它的副本），其中有数字，未读取。常见于自己的测算表、"
              "底稿；如是预算数据，就没有进入公开表。数据区域过大或无法读取、因而无法查看的模板以外的工作表也在此列出。",
              "只读取模板中的工作表；如其中有预算数据，请填入对应的模板工作表。")
DUPLICATE_HEADER = _rule("XB126", ERROR, "表头重复",
                   "同一工作表的表头行中，模板的某个表头（如“金额”）出现了两次或更多，无法确定应读取哪一列。说明中列出"
                   "每一个重复的单元格；在改正之前按第一列读取，但作为错误不生成公开表。",
                   "删除多余的列，或把它的表头改为其他文字，只保留一列。")
NO_DEPARTMENT = _rule("XB127", ERROR, "预算没有部门编码、部门名称或单位",
                "基本信息未填写部门编码或部门名称，或“单位”表中没有任何单位（例如直接编制空白模板）。公开表不能没有"
                "部门和单位，因此不生成。",
                "在基本信息中填写部门编码和部门名称，在“单位”表中填写部门本级及所属单位。")
OTHER_YEAR_TEMPLATE = _rule("XB128", WARNING, "预算年度与模板年度不同",
                      "xlbudget 生成的模板在“填报说明”第一行记载模板年度（如“2022年度部门预算填报模板”）。基本信息的"
                      "“预算年度”与之不同，多半是沿用了上一年的模板：科目下拉列表是模板年度的科目。",
                      "如确为该年度预算，请用 xlbudget template --year 年度 生成当年模板；否则改正预算年度。")
LOST_ZEROS = _rule("XB129", WARNING, "编码的前导 0 丢失",
             "单位编码或项目编码单元格是数字（常规格式下输入 001001 会变成 1001），去掉前导 0 后与“单位”或“项目”"
             "表中唯一一个编码相同，按该编码读取。两个编码去掉前导 0 后相同时不猜测。",
             "把编码列设为文本格式后重新输入编码（xlbudget template 生成的模板中编码列已是文本格式）。")

FORMAT_DIFFERS = _rule("XB150", ERROR, "工作簿记载的公开格式与所选格式不同",
                       "xlbudget template 生成的模板在基本信息中记载“公开格式”（如 shanghai-unit）和“模板版本”，编制、"
                       "校验时不写 --profile 即按它选择格式。--profile 指定了另一种格式，或合并编制的几个工作簿记载的"
                       "格式不同时，不知道应按哪一种编制，因此不读取数据、不生成公开表。退出码为 2。",
                       "去掉 --profile，按工作簿记载的格式编制；如确需改用另一种格式，把基本信息“公开格式”改为该格式"
                       "的名称。")
UNKNOWN_FORMAT = _rule("XB151", ERROR, "工作簿记载的公开格式未知",
                       "基本信息“公开格式”记载的名称不是内置格式（xlbudget profiles 列出），例如写错了名称，或是"
                       "自己的格式配置的名称而编制时没有给出它的文件。不知道应按哪一种格式编制，因此不读取数据。"
                       "退出码为 2。",
                       "改为内置格式的名称；如是自己的格式配置，编制时用 --profile 给出该文件（.toml）。")
LIKELY_OTHER_FORMAT = _rule("XB152", ERROR, "工作簿像是另一种公开格式的",
                            "工作簿没有记载“公开格式”（早先的模板），编制、校验时也没有写 --profile，本应按 henan-2022 "
                            "读取；但它在 henan-2022 不读取、另一种内置格式才读取的工作表或列（如上海格式的“功能科目用途”"
                            "“项目经费情况说明”）中填写了内容。按 henan-2022 编制会公开另一种格式的表，填写的内容也会被"
                            "丢掉，因此不读取数据、不生成公开表，并写出可能的格式。退出码为 2。",
                            "在基本信息末尾加一行，“项目”填“公开格式”、“内容”填该格式的名称（如 shanghai-unit），或编制时用 "
                            "--profile 指定格式；确应按 henan-2022 编制时写 --profile henan-2022。")

# Reported by the reader, which alone sees the name columns a clerk may add beside the codes.
NAME_MISMATCH = Rule("XB206", WARNING, "科目名称与编码不符",
                     "以编码为准：核对编码是否填错；名称只是别写时可删除该名称列或改为标准名称。", CATALOG,
                     "科目名称由编码从科目表取得，不需要填写。如在支出表中自行增加了“功能分类名称”“经济分类名称”"
                     "或“政府经济分类名称”列，其内容须与编码在科目表中的名称一致（忽略空格与全角半角差异），"
                     "否则可能是编码填错了。")
FORMER_NAME = Rule("XB207", INFO, "科目名称为旧名称", "公开表使用现名称；可将该列改为现名称。", CATALOG,
                   "自行增加的科目名称列中填写的是该编码以前年度的名称（如“医疗卫生与计划生育支出”现为“卫生健康支出”，"
                   "“行政事业单位离退休”现为“行政事业单位养老支出”）。编码正确，公开表使用预算年度的现名称。")

RULES: tuple[Rule, ...] = (
    CANNOT_OPEN, UNUSABLE_SETTINGS, EMPTY_FILE, NOT_A_WORKBOOK, ENCRYPTED, ZIP_BOMB, XML_ENTITIES, TOO_LARGE,
    MISSING_SHEET, MISSING_COLUMNS, BLANK_CELL, UNREADABLE_AMOUNT, UNKNOWN_CHOICE, BAD_CODE, OUTSIDE_COLUMNS,
    BAD_INFO, NEGATIVE_AMOUNT, TOO_MANY_DECIMALS, WORKBOOKS_DISAGREE, PURPOSES_DIFFER, NOTE_TEXTS_DIFFER,
    NOTE_NOT_SUMMABLE, UNKNOWN_KEY, NO_AMOUNT_UNIT,
    DUPLICATE_KEY, UNCACHED_FORMULA, ERROR_VALUE, MERGED_CELLS, HIDDEN_DATA, AMOUNT_BEYOND_BOUND, SHEET_COPY,
    OTHER_SHEET, DUPLICATE_HEADER, NO_DEPARTMENT, OTHER_YEAR_TEMPLATE, LOST_ZEROS, FORMAT_DIFFERS,
    UNKNOWN_FORMAT, LIKELY_OTHER_FORMAT, NAME_MISMATCH, FORMER_NAME,
)
