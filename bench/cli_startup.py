"""How long the command line takes to answer: the median wall time of light commands over N runs,
beside the ceiling of starting a bare interpreter (`python -c pass`) and the floor of a command that
reads the database (importing only the libraries it cannot do without), against the 0.3 s budget.
Beside the wall time it prints the median CPU time (user and system) of the command, which moves
much less than the wall time with whatever else runs on the machine.

Run: .venv/bin/python bench/cli_startup.py [RUNS]
"""

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 0.3
REVTEAM = Path(sys.executable).with_name("revteam")
# What any command that opens the database imports before doing anything of its own.
FLOOR = "import typer, rich.table, sqlalchemy.orm, pydantic_settings"
PLAYBOOK = Path(__file__).parents[1] / "src" / "revteam" / "playbook" / "default_playbook.yaml"


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _median_seconds(command: list[str], runs: int) -> tuple[float, float]:
    """The median wall time and the median CPU time of the command."""
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_before = time.perf_counter(), _children_cpu()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - cpu_before)
    return statistics.median(times), statistics.median(cpu)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{folder}/bench.db"
        subprocess.run([str(REVTEAM), "--db", database, "init"], check=True, capture_output=True)
        commands = {
            "python -c pass (ceiling)": [sys.executable, "-c", "pass"],
            "floor: typer, rich, SQLAlchemy, settings": [sys.executable, "-c", FLOOR],
            "revteam --help": [str(REVTEAM), "--help"],
            "revteam leads --help": [str(REVTEAM), "leads", "--help"],
            "revteam playbook validate": [str(REVTEAM), "playbook", "validate", str(PLAYBOOK)],
            "revteam jobs list": [str(REVTEAM), "--db", database, "jobs", "list"],
            "revteam leads list": [str(REVTEAM), "--db", database, "leads", "list"],
        }
        print(f"median of {runs} runs, budget {BUDGET_S:.1f} s")
        for label, command in commands.items():
            wall, cpu = _median_seconds(command, runs)
            print(f"{label:42} {wall:6.3f} s  (CPU {cpu:.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
