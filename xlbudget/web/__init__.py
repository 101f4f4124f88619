"""``xlbudget serve``: the pipeline as a local web page and a JSON API (``docs/api.md``).

Needs the ``web`` extra (starlette, uvicorn, python-multipart); nothing outside this package
imports it, so the other commands start without those libraries.
"""
