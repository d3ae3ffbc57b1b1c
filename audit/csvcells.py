"""CSV cells that a spreadsheet will not run as formulas (the dashboard export's rule, shared here)."""


def csv_cell(value) -> str:
    """No formula injection: a cell a spreadsheet would evaluate is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
