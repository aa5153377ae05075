"""How long one routing decision takes: CPU µs per lead through the default playbook's rules.

Prints the decision time and, measured in the same run, the raw ceiling: evaluating the rule
conditions alone (the least any rule-based router must do), beside the 1 ms budget.
Run: .venv/bin/python bench/route_lead.py [LEADS]
"""

import random
import sys
import time

from revteam.playbook.conditions import matches
from revteam.playbook.loader import default_playbook_path, load_playbook_text
from revteam.routing.roundrobin import RotationState
from revteam.routing.rules import Rep, Roster, decide_route

BUDGET_US = 1000.0
COUNTRIES = ["US", "CA", "DE", "FR", "GB", "AU", "SG", "BR", "JP", "NL"]
TEAMS = ["na-sdr", "emea-sdr", "apac-sdr"]


def _roster(size: int = 300) -> Roster:
    return Roster(
        Rep(id=i, email=f"rep{i}@acme.test", team=TEAMS[i % 3], pod=f"pod-{'alpha' if i % 2 else 'beta'}",
            weight=1 + i % 3, capacity=10**9, available=i % 17 != 0, active=i % 23 != 0)
        for i in range(size)
    )


def _leads(count: int) -> list[dict]:
    rng = random.Random(7)
    return [{"lead.country": rng.choice(COUNTRIES), "account.employees": rng.randint(5, 5000),
             "account.tier": rng.choice(["strategic", "standard", None, None]),
             "account.owner": f"rep{rng.randrange(300)}@acme.test" if rng.random() < 0.1 else None}
            for _ in range(count)]


def _cpu_us_per(fn, items) -> float:
    start = time.process_time()
    for item in items:
        fn(item)
    return (time.process_time() - start) / len(items) * 1e6


def main(count: int) -> None:
    playbook = load_playbook_text(default_playbook_path().read_text(encoding="utf-8"), source="default")
    rules, fallback = playbook.routing.rules, playbook.routing.fallback
    roster, rotation, leads = _roster(), RotationState(), _leads(count)

    def decide(facts):
        return decide_route(rules, fallback, facts, roster, rotation=rotation)

    def conditions_only(facts):
        return [all(matches(t.field, t.op, t.value, facts) for t in rule.when) for rule in rules]

    decide(leads[0])  # warm the compiled-condition cache
    decision_us = _cpu_us_per(decide, leads)
    ceiling_us = _cpu_us_per(conditions_only, leads)
    print(f"routing decision: {decision_us:.1f} µs CPU per lead over {count} leads, {len(roster.reps)} reps")
    print(f"raw ceiling (rule conditions alone): {ceiling_us:.1f} µs per lead")
    print(f"budget: {BUDGET_US:.0f} µs per lead -> {'OK' if decision_us < BUDGET_US else 'OVER'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
