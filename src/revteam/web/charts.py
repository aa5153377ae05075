"""Chart.js specifications (JSON in a data attribute) for the dashboard's charts."""

import json
from typing import Any

MOVEMENT_COLOURS = {"new": "#1f5fbf", "expansion": "#1d7a46", "reactivation": "#6a4fb3",
                    "contraction": "#d68a00", "churn": "#b3261e"}


def _spec(spec: dict[str, Any]) -> str:
    return json.dumps(spec, separators=(",", ":"))


def mrr_chart(months: list[dict[str, Any]]) -> str:
    """Stacked bars of MRR movements per month (losses below zero), in whole currency units."""
    datasets = []
    for kind, colour in MOVEMENT_COLOURS.items():
        sign = -1 if kind in ("contraction", "churn") else 1
        datasets.append({"label": kind, "backgroundColor": colour, "stack": "mrr",
                         "data": [sign * month[kind] / 100 for month in months]})
    return _spec({"type": "bar", "data": {"labels": [m["month"] for m in months], "datasets": datasets},
                  "options": {"scales": {"x": {"stacked": True}, "y": {"stacked": True}}}})


def funnel_chart(cohorts: list[dict[str, Any]]) -> str:
    """Lines of leads, MQLs, accepted and won per creation month; a click opens that cohort's leads."""
    labels = [row["month"] for row in cohorts]
    steps = (("leads", "#8aa1c1"), ("mql", "#1f5fbf"), ("accepted", "#d68a00"), ("won", "#1d7a46"))
    datasets = [{"label": step, "borderColor": colour, "backgroundColor": colour,
                 "data": [row[step] or 0 for row in cohorts]} for step, colour in steps]
    return _spec({"type": "line", "data": {"labels": labels, "datasets": datasets},
                  "links": [f"/leads?month={label}" for label in labels]})


def calibration_chart(calibration: list[dict[str, Any]]) -> str:
    """Per decile of the test leads (least likely first), the model's predicted and the actual win rate in percent."""
    labels = [f"decile {row['decile']}" for row in calibration]
    datasets = [{"label": label, "backgroundColor": colour,
                 "data": [round(100 * row[key], 1) for row in calibration]}
                for key, label, colour in (("predicted", "predicted %", "#1f5fbf"), ("actual", "actual %", "#1d7a46"))]
    return _spec({"type": "bar", "data": {"labels": labels, "datasets": datasets}})


def survey_trend_chart(rows: list[dict[str, Any]]) -> str:
    """Each round's overall survey score (0-100) beside the same period's funnel rates (as percent)."""
    labels = [row["round"] for row in rows]
    percent = [("acceptance_rate", "acceptance rate %", "#d68a00"), ("rejected_then_won", "rejected then won %", "#b3261e"),
               ("nrr", "NRR %", "#1d7a46")]
    datasets = [{"label": "survey score", "borderColor": "#1f5fbf", "backgroundColor": "#1f5fbf",
                 "data": [row["score"] for row in rows]}]
    datasets += [{"label": label, "borderColor": colour, "backgroundColor": colour,
                  "data": [None if row[key] is None else round(row[key] * 100, 1) for row in rows]}
                 for key, label, colour in percent]
    datasets.append({"label": "speed to lead, median h", "borderColor": "#6a4fb3", "backgroundColor": "#6a4fb3",
                     "yAxisID": "hours", "data": [row["speed_to_lead_hours"] for row in rows]})
    scales = {"y": {"title": {"display": True, "text": "score, %"}},
              "hours": {"position": "right", "grid": {"drawOnChartArea": False},
                        "title": {"display": True, "text": "hours"}}}
    return _spec({"type": "line", "data": {"labels": labels, "datasets": datasets}, "options": {"scales": scales},
                  "links": [f"/survey/{label}/results" for label in labels]})
