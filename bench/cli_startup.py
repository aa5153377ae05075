"""How long the command line takes to answer: the median wall time of light commands over N runs
(`revteam --help`, every command's own `--help`, `playbook validate`, `jobs list`, `leads list`,
`leads show`), beside the ceiling of starting a bare interpreter (`python -c pass`) and the floor of
a command that reads the database (importing only the libraries it cannot do without), against the
0.3 s budget. Beside the wall time it prints the median CPU time (user and system) of the command,
which moves much less than the wall time with whatever else runs on the machine, and the load average.

The commands run as an installed revteam runs: from bytecode compiled once (kept in the run's
temporary folder, after one run of each command that is not counted), whatever
PYTHONDONTWRITEBYTECODE says; with --no-bytecode they run as the environment says (where it is set,
every revteam module a command imports is compiled from source on every run: 20-40 of them).

Run: .venv/bin/python bench/cli_startup.py [RUNS] [--helps] [--no-bytecode]   (--helps: every command's --help too)
"""

import os
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
FLOOR = "import typer, rich.table, sqlalchemy.orm"
PLAYBOOK = Path(__file__).parents[1] / "src" / "revteam" / "playbook" / "default_playbook.yaml"


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _environment(folder: str, bytecode: bool) -> dict[str, str]:
    if not bytecode:
        return dict(os.environ)
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "PYTHONPYCACHEPREFIX": str(Path(folder) / "bytecode")}


def _median_seconds(command: list[str], runs: int, environment: dict[str, str]) -> tuple[float, float]:
    """The median wall time and the median CPU time of the command, after one run not counted."""
    subprocess.run(command, check=True, capture_output=True, env=environment)
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_before = time.perf_counter(), _children_cpu()
        subprocess.run(command, check=True, capture_output=True, env=environment)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - cpu_before)
    return statistics.median(times), statistics.median(cpu)


def _one_lead(database: str, folder: str) -> None:
    """A lead for `leads show` to read."""
    leads = Path(folder) / "one.csv"
    leads.write_text("email,first_name,last_name,company\nana@acme.example,Ana,Lima,Acme Inc\n", encoding="utf-8")
    subprocess.run([str(REVTEAM), "--db", database, "import", "leads", str(leads), "--json"], check=True,
                   capture_output=True)


def _helps() -> dict[str, list[str]]:
    from revteam.cli.main import COMMANDS

    return {f"revteam {name} --help": [str(REVTEAM), name, "--help"] for name in COMMANDS}


def main(runs: int, every_help: bool, bytecode: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{folder}/bench.db"
        subprocess.run([str(REVTEAM), "--db", database, "init"], check=True, capture_output=True)
        _one_lead(database, folder)
        commands = {
            "python -c pass (ceiling)": [sys.executable, "-c", "pass"],
            "floor: typer, rich, SQLAlchemy": [sys.executable, "-c", FLOOR],
            "floor, the collector off (as revteam starts)": [sys.executable, "-c", f"import gc; gc.disable(); {FLOOR}"],
            "revteam --help": [str(REVTEAM), "--help"],
            "revteam leads --help": [str(REVTEAM), "leads", "--help"],
            "revteam leads list --help": [str(REVTEAM), "leads", "list", "--help"],
            **(_helps() if every_help else {}),
            "revteam playbook validate": [str(REVTEAM), "playbook", "validate", str(PLAYBOOK)],
            "revteam jobs list": [str(REVTEAM), "--db", database, "jobs", "list"],
            "revteam leads list --limit 20": [str(REVTEAM), "--db", database, "leads", "list", "--limit", "20"],
            "revteam leads show 1": [str(REVTEAM), "--db", database, "leads", "show", "1"],
        }
        environment = _environment(folder, bytecode)
        print(f"median of {runs} runs, budget {BUDGET_S:.1f} s, load average {os.getloadavg()[0]:.2f}, "
              f"{'from bytecode' if bytecode else 'bytecode as the environment says'}, {REVTEAM}")
        for label, command in commands.items():
            wall, cpu = _median_seconds(command, runs, environment)
            print(f"{label:46} {wall:6.3f} s  (CPU {cpu:.3f} s)")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument not in ("--helps", "--no-bytecode")]
    main(int(arguments[0]) if arguments else 10, "--helps" in sys.argv[1:], "--no-bytecode" not in sys.argv[1:])
