"""What a round's answers say: each team's stage and the overall one, and the gaps between teams.

Pure functions over (team, answers) pairs. A group with fewer answers than the playbook's
`min_group` shows no figure (None), so no small group's answers can be read back.
"""

from statistics import fmean

from revteam.playbook.survey_schema import Survey

ROUNDING = 2


def _mean(values: list[float], min_group: int) -> float | None:
    return round(fmean(values), ROUNDING) if len(values) >= min_group else None


def respondent_total(survey: Survey, answers: dict[str, int]) -> int:
    """A respondent's total over the scored statements (the extension is left out)."""
    return sum(answers[statement.id] for statement in survey.statements)


def _group(survey: Survey, answered: list[dict[str, int]]) -> dict:
    score = _mean([respondent_total(survey, answers) for answers in answered], survey.min_group)
    return {"score": score, "stage": survey.stage(score), "answers": len(answered)}


def statement_means(survey: Survey, answered: list[dict[str, int]]) -> dict[str, float | None]:
    """Each statement's mean answer (1-5) in a group; None for a group below the threshold."""
    return {statement.id: _mean([answers[statement.id] for answers in answered], survey.min_group)
            for statement in survey.every_statement()}


def gaps(survey: Survey, by_team: dict[str, list[dict[str, int]]]) -> list[dict]:
    """Per statement, the spread between the highest and lowest team mean (teams at the threshold
    or above, two at least), largest first; ties in playbook order."""
    means = {team: statement_means(survey, answered) for team, answered in by_team.items()}
    rows = []
    for position, statement in enumerate(survey.every_statement()):
        shown = {team: team_means[statement.id] for team, team_means in means.items()
                 if team_means[statement.id] is not None}
        if len(shown) >= 2:
            spread = round(max(shown.values()) - min(shown.values()), ROUNDING)
            rows.append((-spread, position, {"statement": statement.id, "text": statement.text, "spread": spread,
                                             "teams": dict(sorted(shown.items()))}))
    return [row for *_, row in sorted(rows, key=lambda row: row[:2])]


def _reveals_a_small_group(survey: Survey, by_team: dict[str, list[dict[str, int]]]) -> bool:
    """Whether the overall figure, less the teams shown, would give away the answers of fewer than
    `min_group` people: the hidden teams' answers, pooled, must be none or at least `min_group`."""
    hidden = sum(len(answered) for answered in by_team.values() if len(answered) < survey.min_group)
    return 0 < hidden < survey.min_group


def summarize(survey: Survey, responses: list[tuple[str, dict[str, int]]], teams: tuple[str, ...]) -> dict:
    """The overall figure, each team's, the per-statement means and the gaps; the overall figures are
    held back too when they would give a hidden team's answers away."""
    by_team: dict[str, list[dict[str, int]]] = {team: [] for team in teams}
    for team, answers in responses:
        by_team.setdefault(team, []).append(answers)
    everyone = [answers for team_answers in by_team.values() for answers in team_answers]
    overall, statements = _group(survey, everyone), statement_means(survey, everyone)
    if _reveals_a_small_group(survey, by_team):
        overall |= {"score": None, "stage": None}
        statements = dict.fromkeys(statements)
    return {"overall": overall, "teams": {team: _group(survey, answered) for team, answered in by_team.items()},
            "statements": statements, "gaps": gaps(survey, by_team)}
