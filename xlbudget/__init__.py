"""xlbudget: compile Chinese department budget disclosures (部门预算公开) from one workbook."""

__version__ = "0.1.0"
