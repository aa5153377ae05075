"""The demo's predictive model: trained on the company's closed leads as `revteam scoring train` would."""

from datetime import UTC, datetime, time

from revteam.db.session import session_scope
from revteam.demo.plan import DemoContext
from revteam.leads.scoring.predictive.service import train_model

# The large company's million leads would hold every snapshot in memory at once; train it with
# `revteam scoring train` when wanted.
TRAINED_SIZES = ("small", "medium")


def scoring_stage(ctx: DemoContext) -> None:
    """Train the first model version at the end of the demo's history and predict every open lead."""
    if ctx.size_name not in TRAINED_SIZES:
        return
    with session_scope(ctx.engine) as session:
        report = train_model(session, now=datetime.combine(ctx.as_of, time(), tzinfo=UTC), actor="revteam demo")
    ctx.counts["open leads predicted"] = report["predicted_open_leads"]
    for label, key in (("predictive model test AUC", "auc"), ("playbook score test AUC", "rule_score_auc")):
        if report["test"][key] is not None:
            ctx.counts[label] = report["test"][key]
