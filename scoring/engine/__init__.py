"""The scoring engine: NumPy/SciPy arrays in, arrays out.

It never imports Django, Celery, psycopg or any other part of Sway, and never reads settings,
the clock or the database: the pipeline passes everything in (import-linter enforces this).
"""
