"""Two activations at the same moment (two processes) leave exactly one playbook active."""

import threading

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.playbook.models import PlaybookVersion
from revteam.playbook.versions import activate
from tests.concurrency import SAFETY_NET_SECONDS


def _variant(shipped_playbook, threshold: int) -> str:
    text = shipped_playbook.read_text(encoding="utf-8")
    return text.replace("name:", f"# variant {threshold}\nname:", 1).replace("mql_threshold: 60",
                                                                               f"mql_threshold: {threshold}", 1)


def _activate_together(engine, texts: list[str]) -> list[BaseException]:
    barrier, failures = threading.Barrier(len(texts), timeout=SAFETY_NET_SECONDS), []

    def work(text: str) -> None:
        try:
            with session_scope(engine) as session:
                barrier.wait()
                activate(session, text, source="race", actor="test")
        except BaseException as error:  # noqa: BLE001 - reported to the test
            failures.append(error)

    threads = [threading.Thread(target=work, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SAFETY_NET_SECONDS)
    return failures


def test_racing_activations_of_new_versions_leave_one_active(engine, shipped_playbook):
    assert "mql_threshold: 60" in shipped_playbook.read_text(encoding="utf-8")
    for round_ in range(4):
        texts = [_variant(shipped_playbook, 61 + 2 * round_), _variant(shipped_playbook, 62 + 2 * round_)]
        assert _activate_together(engine, texts) == []
        with session_scope(engine) as session:
            assert session.scalar(select(func.count()).where(PlaybookVersion.active.is_(True))) == 1
