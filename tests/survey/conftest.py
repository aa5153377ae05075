import sys
from pathlib import Path

import pytest

from revteam.playbook.loader import load_default_playbook

sys.path.insert(0, str(Path(__file__).parents[1] / "metrics"))  # the hand-built story of test_gtm_story.py


@pytest.fixture
def survey():
    return load_default_playbook().survey
