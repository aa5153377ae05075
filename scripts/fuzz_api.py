"""Fuzz the whole API: the suite's schemathesis test with N examples per operation, on SQLite and
then PostgreSQL (a server on 127.0.0.1:5432, as for the tests). Not part of the suite.

    python scripts/fuzz_api.py 300
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
TEST = "tests/api/test_fuzz_openapi.py"


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "300"
    worst = 0
    for backend in ("sqlite", "postgresql"):
        print(f"--- {backend}, {examples} examples per operation", flush=True)
        env = {**os.environ, "REVTEAM_TEST_BACKEND": backend, "REVTEAM_FUZZ_EXAMPLES": examples,
               "PYTHONPATH": str(ROOT / "src")}
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", TEST],
                             cwd=ROOT, env=env)
        worst = max(worst, run.returncode)
    return worst


if __name__ == "__main__":
    sys.exit(main())
