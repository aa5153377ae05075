"""`revteam export leads|accounts|customers`: the lists the pages show, as CSV on stdout or in a file.

Leads come in our columns or as a Salesforce or HubSpot lead export that `revteam import leads` reads
back unchanged; the filter is the list page's, written `--filter name=value` (repeatable)."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from revteam.cli.common import DbOption, database_session, sub_app
from revteam.errors import BadInput

app = sub_app()

FilterOption = Annotated[list[str] | None, typer.Option(
    "--filter", metavar="NAME=VALUE", help="Narrow the list as its page does (repeatable), e.g. --filter state=mql.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
ViewerOption = Annotated[str | None, typer.Option(
    "--as", metavar="EMAIL", help="Export what this user may see (default: everything, as the database's operator).")]


def _write(lines: Iterator[str], output: Path | None) -> None:
    if output is None:
        if hasattr(sys.stdout, "reconfigure"):  # a terminal or pipe in another locale still gets UTF-8
            sys.stdout.reconfigure(encoding="utf-8")
        sys.stdout.writelines(lines)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
    except OSError as err:
        raise BadInput(f"cannot write: {err.strerror}", where=str(output)) from None


def _viewer(session, email: str | None):
    from revteam.users.service import get_user_by_email

    return get_user_by_email(session, email) if email else None


@app.command("leads")
def leads(filter_: FilterOption = None,
          format: Annotated[str, typer.Option(help="csv (our columns), salesforce or hubspot.")] = "csv",
          sort: Annotated[str, typer.Option(help="oldest (the order an import reads back), newest or score.")] = "oldest",
          output: OutputOption = None, as_: ViewerOption = None, db: DbOption = None) -> None:
    """Export the leads a filter selects, oldest first unless --sort says otherwise."""
    from revteam.leads.exports import lead_csv
    from revteam.leads.lead_list import LEAD_FILTERS, LeadFilter
    from revteam.leads.queries import every_filtered_lead
    from revteam.list_filters import parse_filter

    with database_session(db) as session:
        rows = every_filtered_lead(session, viewer=_viewer(session, as_), sort=sort,
                                   lead_filter=parse_filter(filter_, LeadFilter, LEAD_FILTERS, what="lead"))
        _write(lead_csv(rows, format), output)


@app.command("accounts")
def accounts(filter_: FilterOption = None, output: OutputOption = None, as_: ViewerOption = None,
             db: DbOption = None) -> None:
    """Export the accounts a filter selects, newest first."""
    from revteam.exports.csv_table import csv_lines
    from revteam.leads.account_list import ACCOUNT_COLUMNS, ACCOUNT_FILTERS, AccountFilter, every_filtered_account
    from revteam.list_filters import parse_filter

    with database_session(db) as session:
        account_filter = parse_filter(filter_, AccountFilter, ACCOUNT_FILTERS, what="account")
        rows = every_filtered_account(session, viewer=_viewer(session, as_), account_filter=account_filter)
        _write(csv_lines(rows, ACCOUNT_COLUMNS), output)


@app.command("customers")
def customers(filter_: FilterOption = None, output: OutputOption = None, as_: ViewerOption = None,
              db: DbOption = None) -> None:
    """Export the customers a filter selects (status, plan, at_risk, renews_by, sort), largest MRR first."""
    from revteam.db.base import utcnow
    from revteam.exports.csv_table import csv_lines
    from revteam.list_filters import parse_filter
    from revteam.revenue.customers import (
        CUSTOMER_COLUMNS, CUSTOMER_FILTERS, CustomerFilters, customer_rows, export_rows,
    )

    with database_session(db) as session:
        filters = parse_filter(filter_, CustomerFilters, CUSTOMER_FILTERS, what="customer")
        rows = customer_rows(session, viewer=_viewer(session, as_), filters=filters, today=utcnow().date())
        _write(csv_lines(export_rows(rows), CUSTOMER_COLUMNS), output)
