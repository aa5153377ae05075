"""A routing rule may read `lead.predicted`: the newest model's probability, through the one facts builder."""

from revteam.db.session import session_scope
from revteam.leads.flow.actions import route_lead
from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel
from revteam.playbook.versions import active

BY_PREDICTION = """  rules:
    - id: likely_to_carl
      description: The model's likely buyers go to carl
      when:
        - {field: lead.predicted, op: gte, value: 0.5}
      target: {rep: carl@acme.io}
    - id: unlikely_to_alice
      description: The rest go to alice
      when:
        - {field: lead.predicted, op: lt, value: 0.5}
      target: {rep: alice@acme.io}
    - id: account_owner_first"""


def predicted_by_a_model(engine, at, chances: dict[int, float]) -> None:
    """A stored model (its weights do not matter here) and its probabilities for these leads."""
    with session_scope(engine) as session:
        model = PredictiveModel(trained_at=at, playbook_version_id=active(session).version_id, window_days=30,
                                parameters={"columns": [], "mean": [], "scale": [], "weights": [], "intercept": 0.0},
                                report={})
        session.add(model)
        session.flush()
        session.add_all(LeadPrediction(lead_id=lead_id, model_id=model.id, probability=chance, predicted_at=at)
                        for lead_id, chance in chances.items())


def test_a_routing_rule_on_the_prediction_sends_likely_and_unlikely_leads_apart(team, make_lead, act, lead_of,
                                                                                 use_playbook, engine, clock):
    use_playbook("  rules:\n    - id: account_owner_first", BY_PREDICTION)
    likely, unlikely, unpredicted = make_lead(), make_lead(), make_lead()
    predicted_by_a_model(engine, clock.now, {likely: 0.8, unlikely: 0.1})
    for lead in (likely, unlikely, unpredicted):
        act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(likely) == ("routed", "carl@acme.io")
    assert lead_of(unlikely) == ("routed", "alice@acme.io")
    assert lead_of(unpredicted)[0] == "routed"  # no prediction: neither rule holds, the territory rules route it
