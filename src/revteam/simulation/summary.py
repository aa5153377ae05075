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
    return lines + _fidelity_lines(fidelity)


def _agreement(fidelity: dict[str, Any]) -> str:
    return f"{fidelity['same_team'] / fidelity['routed']:.1%}" if fidelity["routed"] else "n/a"


def _fidelity_lines(fidelity: dict[str, Any]) -> list[str]:
    """How the active playbook's replay agrees with the recorded routings, and why not where it does not."""
    lines = [f"fidelity       {_agreement(fidelity)} agree: the active playbook sends {fidelity['same_team']} of "
             f"{fidelity['routed']} recorded routings to the same team",
             "  not the same: " + ", ".join(f"{category} {count}" for category, count in fidelity["explained"].items())]
    lines += [f"  {count} x {reason}" for reason, count in fidelity["reasons"].items()]
    for row in fidelity["disagreements"][:10]:
        recorded, replay = row["recorded"], row["replay"] or {}
        lines.append(f"  lead {row['lead_id']}: recorded {recorded['team'] or recorded['rep'] or 'a rep now gone'}"
                     f" ({recorded['rule']}), replay {replay.get('team') or 'not routed'}: {row['category']}")
    return lines
