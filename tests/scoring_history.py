"""A company's history as a Salesforce export: closed leads whose source and size decide the odds."""

import random
from datetime import UTC, datetime, timedelta

HEADER = "FirstName,LastName,Company,Email,Title,LeadSource,Status,NumberOfEmployees,CreatedDate,ConvertedDate,LastModifiedDate"
START = datetime(2024, 1, 1, 9, tzinfo=UTC)
WIN_ODDS = {"Partner": 0.55, "Web": 0.2, "Purchased List": 0.04}


def history_rows(count: int, *, seed: int = 7, open_leads: int = 0) -> str:
    """`count` closed leads a day apart (wins most likely from partners), then `open_leads` open ones."""
    chance = random.Random(seed)
    lines = [HEADER]
    for number in range(count + open_leads):
        source = chance.choice(list(WIN_ODDS))
        employees = chance.choice([20, 300, 3000])
        created = START + timedelta(days=number)
        closed = created + timedelta(days=20)
        if number >= count:
            status = "Open - Not Contacted"
        else:
            odds = WIN_ODDS[source] * (1.5 if employees == 300 else 1.0)
            status = "Closed - Converted" if chance.random() < odds else "Closed - Not Converted"
        converted = closed.isoformat() if status == "Closed - Converted" else ""
        lines.append(f"P{number},L{number},Company {number},p{number}@company{number}.com,Manager,{source},{status},"
                     f"{employees},{created.isoformat()},{converted},{closed.isoformat()}")
    return "\n".join(lines) + "\n"
