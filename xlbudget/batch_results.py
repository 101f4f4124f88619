"""What the batch learnt of each department: the record ``batch`` fills and ``summary`` writes.

Kept apart so that the batch (which writes the summary) and the summary (which reads the
records) do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlbudget.money import Fen

OK, HAS_ERRORS, UNUSABLE, CRASHED, DUPLICATE = "成功", "有错误", "无法读取", "程序错误", "部门编码重复"


@dataclass
class JobResult:
    name: str
    status: str
    errors: int = 0
    warnings: int = 0
    figures: dict[str, Fen] = field(default_factory=dict)  # 汇总 column (the profile's [summary]) → amount
    by_class: dict[str, Fen] = field(default_factory=dict)  # 功能分类 类 → amount
    class_names: dict[str, str] = field(default_factory=dict)  # 功能分类 类 → its name in the budget year
    by_source: dict[str, Fen] = field(default_factory=dict)  # 收入表 source column → amount
    dept_code: str = ""
    dept_name: str = ""
    source: str = ""  # the department's workbook, or its folder of unit workbooks ("名称/")
    outputs: tuple[str, ...] = ()  # every file written (公开表 first, then the 预算说明)
    message: str = ""
    profile: str = ""  # the format it was compiled in (its workbook's own unless --profile)
    family: str = ""  # that format's document: 预算 (部门预算) or 决算 (部门决算); "" when not known

    @property
    def line(self) -> str:
        """The batch line of a department: 财政局（部门决算，juesuan-2024）：成功（错误 0 个，警告 1 个）."""
        compiled = f"（部门{self.family}，{self.profile}）" if self.profile else ""
        return f"{self.name}{compiled}：{self.status}（{self.counts}） {self.message}".rstrip()

    @property
    def counts(self) -> str:
        """The findings in a batch line: 错误 0 个，警告 3 个."""
        return f"错误 {self.errors} 个，警告 {self.warnings} 个"

    @property
    def output(self) -> str:
        return self.outputs[0] if self.outputs else ""

    @property
    def counted(self) -> bool:
        """Whether the department's figures enter the 汇总's 合计: compiled without errors."""
        return self.status == OK
