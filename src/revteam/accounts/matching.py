"""Lead-to-account matching: by corporate domain, then by fuzzy company name, never guessed.

The index is built once per import or request and kept in step as accounts are created, so a
million-row import never queries per row.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account

SURE_MATCH = 92  # token-sort ratio at or above which one candidate is taken as the account
SUGGESTION = 80  # candidates at or above this are shown to a person when no sure match stands alone


@dataclass
class AccountMatch:
    account_id: int | None
    how: str  # domain, name, fuzzy_name, new_domain, ambiguous, none
    suggestions: list[tuple[int, int]] = field(default_factory=list)  # (account id, similarity)


def _block_key(name: str) -> str:
    return name[:2]


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))


@dataclass
class _Block:
    """Candidate names sharing their first two characters, as written and with their words sorted.

    token_sort_ratio sorts both names' words on every comparison; a large import compares each
    unmatched name with thousands of candidates, so they are kept sorted and compared with plain
    ratio, which gives the same score. Only while every name is printable: rapidfuzz splits words
    on fewer characters than Python (not on a no-break space), so other names keep the slow path.
    """

    names: dict[int, str] = field(default_factory=dict)
    sorted_names: dict[int, str] = field(default_factory=dict)
    printable: bool = True

    def add(self, account_id: int, name: str) -> None:
        self.names[account_id] = name
        self.sorted_names[account_id] = _sorted_words(name)
        self.printable = self.printable and name.isprintable()

    def closest(self, name: str) -> list[tuple[str, float, int]]:
        """Up to three candidates scoring at least SUGGESTION, best first."""
        if self.printable and name.isprintable():
            return process.extract(_sorted_words(name), self.sorted_names, scorer=fuzz.ratio,
                                   score_cutoff=SUGGESTION, limit=3)
        return process.extract(name, self.names, scorer=fuzz.token_sort_ratio, score_cutoff=SUGGESTION, limit=3)


@dataclass
class AccountIndex:
    by_domain: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, _Block] = field(default_factory=lambda: defaultdict(_Block))

    @classmethod
    def load(cls, session: Session) -> "AccountIndex":
        """Index every account's domain and normalized name."""
        index = cls()
        for account_id, domain, name in session.execute(select(Account.id, Account.domain, Account.name_normalized)):
            index.add(account_id, domain, name)
        return index

    @classmethod
    def load_for(cls, session: Session, *, domains: set[str], names: set[str]) -> "AccountIndex":
        """Index only the accounts these domains and names could match (small captures)."""
        index = cls()
        columns = select(Account.id, Account.domain, Account.name_normalized)
        found = session.execute(columns.where(Account.domain.in_(domains))).all() if domains else []
        for prefix in {_block_key(name) for name in names if name}:
            found += session.execute(columns.where(Account.name_normalized.startswith(prefix, autoescape=True))).all()
        for account_id, domain, name in found:
            index.add(account_id, domain, name)
        return index

    def add(self, account_id: int, domain: str | None, name: str) -> None:
        if domain:
            self.by_domain[domain] = account_id
        if name:
            self.by_name.setdefault(name, account_id)
            self.blocks[_block_key(name)].add(account_id, name)

    def match_name(self, name: str) -> AccountMatch:
        """Exact normalized name, else one clear fuzzy winner, else suggestions or nothing."""
        if not name:
            return AccountMatch(None, "none")
        if name in self.by_name:
            return AccountMatch(self.by_name[name], "name")
        block = self.blocks.get(_block_key(name))
        if block is None:
            return AccountMatch(None, "none")
        found = block.closest(name)
        if not found:
            return AccountMatch(None, "none")
        best = found[0]
        runner_up = found[1][1] if len(found) > 1 else 0
        if best[1] >= SURE_MATCH and best[1] - runner_up >= 5:
            return AccountMatch(best[2], "fuzzy_name")
        return AccountMatch(None, "ambiguous", [(account_id, round(score)) for _, score, account_id in found])
