"""Answers of a chosen total, for the survey tests."""


def answers_totalling(survey, total: int, *, extension: int = 3) -> dict[str, int]:
    """Answers whose scored statements sum to `total` (20-100): 5s first, then what is left."""
    left, answers = total, {}
    statements = survey.statements
    for position, statement in enumerate(statements):
        still_to_fill = len(statements) - position - 1
        value = max(1, min(5, left - still_to_fill))
        answers[statement.id] = value
        left -= value
    assert left == 0
    return answers | {statement.id: extension for statement in survey.extension}
