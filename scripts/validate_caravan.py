"""Validate the predictive score on data we did not make: the CoIL 2000 Caravan insurance data.

5,822 customers of a Dutch insurer, 348 of whom bought a caravan policy (a direct-marketing
conversion), as the ISLP package ships it (ISLP/data/Caravan.csv). Get the package's wheel
with the ordinary client, without installing it or its dependencies:

    .venv/bin/pip download --no-deps -d /tmp/islp islp
    .venv/bin/python scripts/validate_caravan.py /tmp/islp/islp-*.whl

Each customer becomes one closed lead of our own CSV format, imported by `revteam import leads`
into a fresh SQLite file, then `revteam scoring train --json` runs with the default playbook.
What maps, and what cannot: the customer's main type (MOSHOOFD, ten segments named by the data's
dictionary) lands as the account industry and the subtype (MOSTYPE, a code) as the title;
`Purchase` is the outcome (Yes: won, No: lost). The other 83 columns (income, product ownership)
have no lead field in revteam and are not imported. The rows carry no dates, so lead i is
created i hours after 2000-01-01: the time split is the file's order. E-mail addresses are made
up identifiers (`customerN@cN.caravan.example`), one account each.
"""

import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

MAIN_TYPES = {
    "1": "Successful hedonists", "2": "Driven Growers", "3": "Average Family", "4": "Career Loners",
    "5": "Living well", "6": "Cruising Seniors", "7": "Retired and Religious", "8": "Family with grown ups",
    "9": "Conservative families", "10": "Farmers",
}
START = datetime(2000, 1, 1, tzinfo=UTC)
REVTEAM = Path(sys.executable).with_name("revteam")


def caravan_rows(wheel: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("ISLP/data/Caravan.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def as_leads(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "title", "industry", "country", "created_at", "outcome"])
    for number, row in enumerate(rows, start=1):
        writer.writerow([f"customer{number}@c{number}.caravan.example", f"customer subtype {row['MOSTYPE']}",
                         MAIN_TYPES[row["MOSHOOFD"]], "NL", (START + timedelta(hours=number)).isoformat(),
                         "won" if row["Purchase"] == "Yes" else "lost"])
    return out.getvalue()


def revteam(*args: str) -> str:
    return subprocess.run([str(REVTEAM), *args], check=True, capture_output=True, text=True).stdout


def main(wheel: Path) -> None:
    rows = caravan_rows(wheel)
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/caravan.db"
        leads = Path(folder, "caravan_leads.csv")
        leads.write_text(as_leads(rows))
        revteam("init", "--db", db)
        imported = json.loads(revteam("import", "leads", str(leads), "--json", "--db", db))
        report = json.loads(revteam("scoring", "train", "--json", "--now", "2001-01-01T00:00:00Z", "--db", db))
    test = report["test"]
    print(f"rows {len(rows)}, landed {imported['landed']}, refused {len(imported['refused'])}")
    print(f"trained on {report['trained_on']['leads']} leads ({report['trained_on']['won']} won); "
          f"tested on {test['leads']} ({test['won']} won)")
    print(f"model AUC {test['auc']}, playbook score AUC {test['rule_score_auc']}")
    for row in report["calibration"]:
        print(f"  decile {row['decile']:>2}: predicted {row['predicted']:.3f}, actual {row['actual']:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
