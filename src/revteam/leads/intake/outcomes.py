"""The historical outcome an export states for a lead: Salesforce's `Status` and `IsConverted`,
HubSpot's `Lifecycle Stage` and `Lead Status`, or our own `outcome` column. Open leads have none."""

OUTCOMES = ("won", "lost", "not_a_lead")
_BY_STATUS = {
    "closed - converted": "won", "converted": "won",
    "closed - not converted": "lost",
    "unqualified": "not_a_lead",
}
_WON_STAGES = {"customer", "evangelist"}
_TRUE = {"true", "1", "yes"}


def historical_outcome(status: str | None, is_converted: str | None, lifecycle_stage: str | None) -> str | None:
    """won, lost, not_a_lead, or None for a lead the export says is still open."""
    if (is_converted or "").strip().casefold() in _TRUE:
        return "won"
    if (lifecycle_stage or "").strip().casefold() in _WON_STAGES:
        return "won"
    return _BY_STATUS.get(" ".join((status or "").split()).casefold())
