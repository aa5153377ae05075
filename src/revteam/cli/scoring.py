"""`revteam scoring ...`: the predictive score, trained on the company's own closed leads."""

from rich.table import Table

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, print_json, print_rows, sub_app,
)

app = sub_app()


@app.command("train")
def train(now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Train a new model version on the closed leads (earliest 80 %), backtest it on the latest 20 %."""
    from revteam.leads.scoring.predictive import service

    with database_session(db) as session:
        report = service.train_model(session, now=moment_or_now(now), actor="cli")
    if as_json:
        print_json(report)
        return
    test, trained = report["test"], report["trained_on"]
    console.print(f"model {report['model']}: learned from {trained['leads']} closed leads ({trained['won']} won) "
                  f"created until {trained['created_until'][:10]}")
    console.print(f"backtest on the {test['leads']} latest closed leads ({test['won']} won): AUC {test['auc']}, "
                  f"the playbook's score {test['rule_score_auc']}")
    calibration = Table("decile", "leads", "predicted", "actual")
    for row in report["calibration"]:
        calibration.add_row(str(row["decile"]), str(row["leads"]), f"{row['predicted']:.1%}", f"{row['actual']:.1%}")
    console.print(calibration)
    factors = Table("factor", "weight")
    for factor in report["factors"]:
        factors.add_row(factor["name"], f"{factor['weight']:+.3f}")
    console.print(factors)
    console.print(f"{report['predicted_open_leads']} open leads predicted")


@app.command("predictions")
def predictions(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every open lead's probability of being won under the newest model, most likely first."""
    from revteam.leads.scoring.predictive import service

    with database_session(db) as session:
        rows = service.open_predictions(session)
    print_rows(rows, as_json, ("lead", "email", "probability"),
               lambda row: (str(row["lead_id"]), row["email"] or "", f"{row['probability']:.1%}"))


@app.command("explain")
def explain(lead_id: int, now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """What raised and lowered one lead's probability, in points of probability."""
    from revteam.leads.scoring.predictive import service

    with database_session(db) as session:
        explanation = service.explain_lead(session, lead_id, now=moment_or_now(now))
    if as_json:
        print_json(explanation)
        return
    console.print(f"lead {lead_id}: {explanation['probability']:.1%} under model {explanation['model']} "
                  f"(as of {explanation['as_of'][:10]})")
    table = Table("factor", "this lead", "points")
    table.add_row("an average lead", "", f"{explanation['baseline_points']:.1f}")
    for line in explanation["lines"]:
        table.add_row(line["factor"], line["value"], f"{line['points']:+.1f}")
    console.print(table)
