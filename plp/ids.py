"""What counts as a database id when it comes from outside (a query string, a URL, a JSON body): one rule,
so an id past a 64-bit integer is refused before it reaches the database (PostgreSQL would raise on it, a
500) and every page and API says "no such" the same way. Pure: no Django."""

MAX_ID = 2**63 - 1  # PostgreSQL's bigint, the type of every primary key here


def is_id(number: int) -> bool:
    return 0 < number <= MAX_ID


def id_or_none(value) -> int | None:
    """``value`` (a string from a query string, or anything int() takes) as an id, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if is_id(number) else None
