"""Reading the clerk's workbook, one module per thing read: the file (``workbook``), each sheet's
header row (``headers``), cells (``cells``: texts, ``codes``, ``amounts``), and the template's
sheet families (``info``, ``lists``, ``lines``, ``keyed``); ``rules`` declares what they report.
``xlbudget.reader`` is the entry point (``read_budget``).
"""
