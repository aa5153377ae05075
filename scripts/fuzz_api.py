"""Fuzz the whole API: the suite's schemathesis test with N examples per operation, on SQLite and
then PostgreSQL (a server on 127.0.0.1:5432, as for the tests). Not part of the suite. With --demo,
over the small demo company instead of an empty database.

    python scripts/fuzz_api.py 300 [--demo]
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
TEST = "tests/api/test_fuzz_openapi.py"


def main() -> int:
    arguments = [argument for argument in sys.argv[1:] if argument != "--demo"]
    examples = arguments[0] if arguments else "300"
    over_the_demo = "1" if "--demo" in sys.argv[1:] else "0"
    worst = 0
    for backend in ("sqlite", "postgresql"):
        print(f"--- {backend}, {examples} examples per operation{' over the demo' if over_the_demo == '1' else ''}",
              flush=True)
        env = {**os.environ, "REVTEAM_TEST_BACKEND": backend, "REVTEAM_FUZZ_EXAMPLES": examples,
               "REVTEAM_FUZZ_DEMO": over_the_demo,
               "PYTHONPATH": str(ROOT / "src")}
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", TEST],
                             cwd=ROOT, env=env)
        worst = max(worst, run.returncode)
    return worst


if __name__ == "__main__":
    sys.exit(main())
