"""What a scorecard can be asked for: its teams and its groupings. Apart from scorecard.py so the
command line builds its `--team` and `--by` choices without loading the metrics."""

TEAMS = ("marketing", "sales", "success")
BY = ("team", "pod", "rep")
