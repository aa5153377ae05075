"""Lead-to-account matching: by corporate domain, then by fuzzy company name, never guessed.

The index is built once per import or request and kept in step as accounts are created, so a
million-row import never queries per row.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
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


def _best_first(candidate: tuple[float, int]) -> tuple[float, int]:
    score, position = candidate
    return -score, position


# Cells of the score matrix computed at once (float32): 16 MiB whatever the block's size.
MATRIX_CELLS = 1 << 22


@dataclass
class _Block:
    """Candidate names sharing their first two characters, as written and with their words sorted.

    token_sort_ratio sorts both names' words on every comparison; a large import compares each
    unmatched name with thousands of candidates, so they are kept sorted and compared with plain
    ratio, which gives the same score, many names at once (rapidfuzz's cdist, in C++). Only while
    every name is printable: rapidfuzz splits words on fewer characters than Python (not on a
    no-break space), so other names take the slow path, one comparison at a time.
    """

    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    sorted_names: list[str] = field(default_factory=list)
    known: set[int] = field(default_factory=set)
    printable: bool = True

    def add(self, account_id: int, name: str) -> None:
        if account_id in self.known:
            return
        self.known.add(account_id)
        self.ids.append(account_id)
        self.names.append(name)
        self.sorted_names.append(_sorted_words(name))
        self.printable = self.printable and name.isprintable()

    def closest(self, queries: list[tuple[str, int]]) -> list[list[tuple[float, int]]]:
        """For each (name, newest account id it may see), up to three (score, account id) scoring at
        least SUGGESTION, best first; equal scores keep the order the candidates were added in."""
        names = list(dict.fromkeys(name for name, _ in queries))
        if not (self.printable and all(name.isprintable() for name in names)):
            return [self._closest_by_token_sort(name, newest) for name, newest in queries]
        candidates = self._candidates(names)
        return [self._best([(score, i) for score, i in candidates[name] if self.ids[i] <= newest])
                for name, newest in queries]

    def _candidates(self, names: list[str]) -> dict[str, list[tuple[float, int]]]:
        """Each name's (score, position) of every candidate scoring at least SUGGESTION."""
        found = {}
        at_once = max(1, MATRIX_CELLS // len(self.sorted_names))
        for start in range(0, len(names), at_once):
            batch = names[start:start + at_once]
            sorted_batch = [_sorted_words(name) for name in batch]
            # float32 only picks the candidates (scores under the cutoff come back as 0); their
            # exact scores are computed again below, so rounding never moves a threshold.
            matrix = process.cdist(sorted_batch, self.sorted_names, scorer=fuzz.ratio, score_cutoff=SUGGESTION,
                                   dtype=numpy.float32)
            for name, query, scores in zip(batch, sorted_batch, matrix):
                found[name] = [(fuzz.ratio(query, self.sorted_names[i]), i) for i in numpy.flatnonzero(scores)]
        return found

    def _closest_by_token_sort(self, query: str, newest: int) -> list[tuple[float, int]]:
        candidates = [(score, i) for _, score, i in process.extract(
            query, self.names, scorer=fuzz.token_sort_ratio, score_cutoff=SUGGESTION, limit=None)
            if self.ids[i] <= newest]
        return self._best(candidates)

    def _best(self, candidates: list[tuple[float, int]]) -> list[tuple[float, int]]:
        ranked = sorted(((score, i) for score, i in candidates if score >= SUGGESTION), key=_best_first)
        return [(score, self.ids[i]) for score, i in ranked[:3]]


@dataclass
class AccountIndex:
    by_domain: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, _Block] = field(default_factory=lambda: defaultdict(_Block))
    last_id: int = 0

    @classmethod
    def load(cls, session: Session) -> "AccountIndex":
        """Index every account's domain and normalized name."""
        index = cls()
        index.catch_up(session)
        return index

    def catch_up(self, session: Session) -> None:
        """Add the accounts created since this whole index was loaded (by a capture while an import
        runs, say). Account ids grow in the order accounts are created: every creator holds the
        intake lock (db/locks.py), which the caller holds too."""
        query = select(Account.id, Account.domain, Account.name_normalized).where(Account.id > self.last_id)
        for account_id, domain, name in session.execute(query.order_by(Account.id)):
            self.add(account_id, domain, name)

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
        self.last_id = max(self.last_id, account_id)
        if domain:
            self.by_domain[domain] = account_id
        if name:
            self.by_name.setdefault(name, account_id)
            self.blocks[_block_key(name)].add(account_id, name)

    def match_name(self, name: str) -> AccountMatch:
        """Exact normalized name, else one clear fuzzy winner, else suggestions or nothing."""
        return self.match_names([name])[name]

    def match_names(self, names: Iterable[str]) -> dict[str, AccountMatch]:
        """`match_name` of many names at once: each block compares all its queries in one pass."""
        unique = list(dict.fromkeys(names))
        return dict(zip(unique, self.match_arrivals([(name, self.last_id) for name in unique]), strict=True))

    def match_arrivals(self, arrivals: list[tuple[str, int]]) -> list[AccountMatch]:
        """`match_name` of each (name, newest account id): as the name matched when that account was
        the last one created. Account ids grow in creation order (see catch_up)."""
        matches: list[AccountMatch | None] = [None] * len(arrivals)
        fuzzy: dict[str, list[int]] = defaultdict(list)
        for position, (name, newest) in enumerate(arrivals):
            if self.by_name.get(name, newest + 1) <= newest:  # by_name holds the first account of a name
                matches[position] = AccountMatch(self.by_name[name], "name")
            elif not name or _block_key(name) not in self.blocks:
                matches[position] = AccountMatch(None, "none")
            else:
                fuzzy[_block_key(name)].append(position)
        for key, positions in fuzzy.items():
            found = self.blocks[key].closest([arrivals[position] for position in positions])
            for position, candidates in zip(positions, found, strict=True):
                matches[position] = _judged(candidates)
        return matches


def _judged(found: list[tuple[float, int]]) -> AccountMatch:
    """One clear winner is the account; otherwise the candidates are suggestions."""
    if not found:
        return AccountMatch(None, "none")
    best_score, best_id = found[0]
    runner_up = found[1][0] if len(found) > 1 else 0
    if best_score >= SURE_MATCH and best_score - runner_up >= 5:
        return AccountMatch(best_id, "fuzzy_name")
    return AccountMatch(None, "ambiguous", [(account_id, round(score)) for score, account_id in found])
