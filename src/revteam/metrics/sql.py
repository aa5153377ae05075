"""SQL building blocks the metrics share, written once for SQLite and PostgreSQL."""

from sqlalchemy import BigInteger, Date, case, cast, func


def is_time(column) -> bool:
    return not isinstance(column.type, Date)


def month_of(dialect: str, column):
    """'YYYY-MM' of a UTC timestamp or date column."""
    if dialect == "postgresql":
        timestamp = func.timezone("UTC", column) if is_time(column) else column
        return func.to_char(timestamp, "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite keeps UTC times and dates as ISO text


def flag(condition):
    """1 where the condition holds, else 0 (sums count the rows it holds for)."""
    return case((condition, 1), else_=0)


def epoch_seconds(dialect: str, column):
    """Whole seconds since 1970 of a UTC timestamp, or of a date's midnight UTC."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    return cast(func.strftime("%s", column), BigInteger)


def whole_units_between(dialect: str, start, end, unit_seconds: int):
    """Whole units of `unit_seconds` from start to end, rounded down; 0 when end is before start,
    NULL when either is missing."""
    seconds = epoch_seconds(dialect, end) - epoch_seconds(dialect, start)
    return case((seconds < 0, 0), else_=seconds // unit_seconds)
