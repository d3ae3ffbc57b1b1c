"""CSV from outside, row by row: a row the csv module cannot read is a row-level problem, never a crash.

``csv.reader`` raises ``_csv.Error`` for a field longer than ``csv.field_size_limit()`` (131,072 characters)
or, in strict mode, a stray quote; uncaught, that is a 500 wherever a CSV file is read. Pure Python.
"""

import csv
from collections.abc import Iterator

from plp.time_budget import budget_check


def _why(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a value is longer than {csv.field_size_limit():,} characters"
    return str(error)


def csv_rows(reader) -> Iterator[tuple[int, list[str] | None, str]]:
    """``(line, fields, "")`` for each row of ``reader`` (a ``csv.reader``), ``line`` being where the row
    starts; ``(line, None, why)`` for a row that cannot be read, in plain words. Reading goes on after it:
    the caller decides whether the rest of the file is still worth reading. Under a
    :func:`plp.time_budget.time_budget`, raises ``OverTime`` once it is spent."""
    line = reader.line_num
    while True:
        budget_check()
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, None, _why(error)
        else:
            yield start, fields, ""
        line = reader.line_num
