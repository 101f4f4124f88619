"""``python -m xlbudget`` = the ``xlbudget`` command."""

from xlbudget.cli import run

run()
