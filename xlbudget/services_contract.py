"""The optional input sheets of the 政府购买服务预算表 (and, from the same family of menu tables,
the 部门（单位）整体支出绩效目标表): their columns and 填报说明, for the formats that print them.

A format that prints one of these tables reads these sheets (its contract is extended with them);
workbooks of every other format never have them.
"""

from __future__ import annotations

from xlbudget.contract import Column, Sheet

SERVICES = "政府购买服务"

SERVICES_SHEET = Sheet(SERVICES, (
    Column("单位编码", required=False, kind="code", choices="单位编码", width=12,
           help="购买服务的单位；填写了项目编码时可不填（取项目所属单位）"),
    Column("项目编码", required=False, kind="code", choices="项目编码", width=24,
           help="安排购买服务的项目；基本支出中的购买服务不填"),
    Column("一级目录", width=24, help="政府购买服务指导性目录的一级目录，如 公共服务、政府履职辅助性服务（按本地目录填写）"),
    Column("二级目录", required=False, width=30, help="指导性目录的二级目录，如 公共安全服务、课题研究和社会调查"),
    Column("资金来源", kind="choice", choices="资金来源", width=20),
    Column("金额", kind="amount", width=16, help="按基本信息中的金额单位填写"),
    Column("备注", required=False, width=24),
), "政府购买服务预算：每个项目（或单位基本支出）× 指导性目录 × 资金来源一行", required=False)

MENU_SHEETS = (SERVICES_SHEET,)  # every sheet this module declares
