"""gunicorn's entry point: ``gunicorn -c config/gunicorn.conf.py factlint.wsgi:app``.

Imported in each worker after the fork (no --preload), so torch and its thread pool are created
inside the worker: a torch pool created before fork() is not fork-safe.
"""
import gc

from factlint.api import create_app

# A worker's caches of parsed sentences (tokens, figures, names) turn over with every check, and each
# new entry lives long enough to reach the oldest generation, so with the default thresholds Python
# scans the whole heap (the model's and the lexicons' half a million objects) every few hundred
# checks: 1.1 ms of a check's 6 ms of analysis on the 37k BBC archive. A tenth as often: none in 1,200.
GC_THRESHOLDS = (700, 10, 100)  # Python's default is (700, 10, 10)
gc.set_threshold(*GC_THRESHOLDS)

app = create_app()
