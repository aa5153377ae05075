import sys
from pathlib import Path

import pytest

from revteam.playbook.loader import load_default_playbook

sys.path.insert(0, str(Path(__file__).parents[1] / "metrics"))  # the hand-built story of test_gtm_story.py


@pytest.fixture
def survey():
    return load_default_playbook().survey


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
