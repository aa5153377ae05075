"""A simulation in a few lines of words, for the terminal."""

from typing import Any


def _pair(row: dict[str, Any]) -> str:
    return f"{row['active']:>6} -> {row['draft']:<6}"


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The headline figures of a simulation: MQLs, routing, fairness, SLA, tracks, fidelity."""
    mql, routing, fidelity = result["mql"], result["routing"], result["fidelity"]
    lines = [f"window {result['window'][0]} .. {result['window'][1]}: {result['leads']:,} leads replayed",
             f"MQL            {_pair(mql)} gained {len(mql['gained'])}, lost {len(mql['lost'])}",
             f"routing        {len(routing['changed'])} leads change rep; unassigned {_pair(routing['unassigned'])}"]
    for team in routing["by_team"]:
        fair = team["fairness"]
        lines.append(f"  team {team['team']:<18} {_pair(team)} fairness {fair['active']} -> {fair['draft']}")
    for change in routing["changed"][:10]:
        before, after = (change[side] or {} for side in ("active", "draft"))
        lines.append(f"  lead {change['lead_id']}: {before.get('rep', 'not routed')} -> {after.get('rep', 'not routed')}"
                     f" (rule {change['rule']})")
    lines.append(f"SLA            routed while closed {_pair(result['sla_outside_hours'])}")
    lines += [f"track {row['track'] or '(none)':<18} {_pair(row)}" for row in result["tracks"]]
    lines.append(f"fidelity       the active playbook sends {fidelity['same_team']} of {fidelity['routed']} recorded "
                 f"routings to the same team ({fidelity['agreement']}); others: {fidelity['explained']}")
    return lines
