"""The model a reader can follow: a logistic regression over one-hot categories and scaled log counts.

Training needs scikit-learn and numpy, imported inside `fit` and `backtest` only, so no other command
loads them. What training leaves is plain numbers (`parameters`: the columns, their training mean
and scale, a weight each and the intercept), and predicting and explaining are arithmetic over
them here, in pure Python, for the pages, the CLI and the routing facts alike.
"""

import math
from typing import Any

Parameters = dict[str, Any]
DECILES = 10
MIN_CATEGORY_LEADS = 10
_SHOWN_POINTS = 0.05  # smaller factors are summed in one line


def _vector(features: dict[str, Any]) -> dict[str, float]:
    """The columns a feature dict sets, named as DictVectorizer names them (`name=value` for categories)."""
    return {(f"{name}={value}" if isinstance(value, str) else name): (1.0 if isinstance(value, str) else float(value))
            for name, value in features.items()}


def fit(features: list[dict[str, Any]], won: list[bool]) -> Parameters:
    """Train on these leads (their features and whether each was won); the parameters to predict with.

    A category value seen on fewer than MIN_CATEGORY_LEADS training leads gets no column: a campaign
    that brought three leads, one of them won, would otherwise weigh more than any real pattern.
    Counts are scaled to one standard deviation; categories stay 0/1 (scaling a rare one up would
    amplify it the same way). Both are centred on the training mean, so the intercept is an average lead."""
    import numpy
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=False)
    matrix = vectorizer.fit_transform([_vector(row) for row in features])
    one_hot = numpy.array(["=" in column for column in vectorizer.feature_names_], dtype=bool)
    keep = ~one_hot | ((matrix != 0).sum(axis=0) >= MIN_CATEGORY_LEADS)
    matrix, one_hot = matrix[:, keep], one_hot[keep]
    mean, scale = matrix.mean(axis=0), matrix.std(axis=0)
    scale[(scale == 0) | one_hot] = 1.0
    model = LogisticRegression(max_iter=5000).fit((matrix - mean) / scale, won)
    return {"columns": [c for c, kept in zip(vectorizer.feature_names_, keep, strict=True) if kept],
            "mean": mean.tolist(), "scale": scale.tolist(), "weights": model.coef_[0].tolist(),
            "intercept": float(model.intercept_[0])}


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit)) if logit >= 0 else math.exp(logit) / (1.0 + math.exp(logit))


def _contributions(parameters: Parameters, features: dict[str, Any]) -> list[tuple[str, float]]:
    """Each column's share of the logit, away from an average lead (every column at its training mean)."""
    vector = _vector(features)
    return [(column, weight * (vector.get(column, 0.0) - mean) / scale)
            for column, mean, scale, weight in zip(parameters["columns"], parameters["mean"], parameters["scale"],
                                                   parameters["weights"], strict=True)]


def probability(parameters: Parameters, features: dict[str, Any]) -> float:
    """The probability that a lead with these features is won."""
    return _sigmoid(parameters["intercept"] + sum(c for _, c in _contributions(parameters, features)))


def factor_of(column: str) -> str:
    """The factor a column belongs to: a category's name for its one-hot columns, else the column."""
    return column.partition("=")[0]


def explain(parameters: Parameters, features: dict[str, Any]) -> dict[str, Any]:
    """The prediction in points of probability: an average lead's, then what each factor of this lead
    added or took away. The logit's shares are spread over the probability's distance from the
    average in proportion, so every line keeps its sign and the lines add up to the prediction."""
    by_factor: dict[str, float] = {}
    for column, share in _contributions(parameters, features):
        by_factor[factor_of(column)] = by_factor.get(factor_of(column), 0.0) + share
    baseline, predicted = _sigmoid(parameters["intercept"]), probability(parameters, features)
    total = sum(by_factor.values())
    per_logit = (predicted - baseline) / total if total else 0.0
    lines = sorted(({"factor": factor, "value": _shown_value(features, factor), "points": 100 * share * per_logit}
                    for factor, share in by_factor.items()), key=lambda line: -abs(line["points"]))
    shown = [line for line in lines if abs(line["points"]) >= _SHOWN_POINTS]
    if rest := lines[len(shown):]:
        shown.append({"factor": f"{len(rest)} other factors", "value": "",
                      "points": sum(line["points"] for line in rest)})
    return {"probability": predicted, "baseline_points": 100 * baseline, "lines": shown}


def _shown_value(features: dict[str, Any], factor: str) -> str:
    value = features.get(factor)
    if value is None:
        return "none"
    if factor.endswith("(log)"):
        return f"{math.expm1(value):g}"
    return str(value) if isinstance(value, str) else f"{value:g}"


def top_factors(parameters: Parameters, count: int = 15) -> list[dict[str, Any]]:
    """The columns with the largest weights (a category's for having it, a count's per standard deviation), strongest first."""
    weighted = sorted(zip(parameters["columns"], parameters["weights"], strict=True), key=lambda cw: -abs(cw[1]))
    return [{"name": column, "weight": round(weight, 4)} for column, weight in weighted[:count]]


def backtest(predicted: list[float], rule_scores: list[int], won: list[bool]) -> dict[str, Any]:
    """The test leads' AUC for the model and for the playbook's score, and calibration by decile."""
    import numpy
    from sklearn.metrics import roc_auc_score

    both_classes = 0 < sum(won) < len(won)
    order = numpy.argsort(predicted, kind="stable")
    groups = numpy.array_split(order, min(DECILES, len(order)))
    calibration = [{"decile": number, "leads": len(group),
                    "predicted": round(float(numpy.mean([predicted[i] for i in group])), 4),
                    "actual": round(float(numpy.mean([won[i] for i in group])), 4)}
                   for number, group in enumerate(groups, start=1)]
    return {"leads": len(won), "won": sum(won),
            "auc": round(float(roc_auc_score(won, predicted)), 4) if both_classes else None,
            "rule_score_auc": round(float(roc_auc_score(won, rule_scores)), 4) if both_classes else None,
            "calibration": calibration}
