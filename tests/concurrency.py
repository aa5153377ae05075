"""The suite's one way to wait: on a condition, never for a duration.

A test that sleeps for N seconds, or asserts that something happened within N seconds, passes or
fails with the machine's load. `wait_until` polls a condition instead; its deadline is only a
safety net that ends a hung test with a readable message, and is never what a test measures.
"""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Long enough that no load makes a correct program miss it; only a hang ever reaches it.
SAFETY_NET_SECONDS = 300.0
POLL_SECONDS = 0.05


def wait_until(condition: Callable[[], T], *, what: str | Callable[[], str],
               safety_net: float = SAFETY_NET_SECONDS) -> T:
    """Poll `condition` until it returns something truthy, and return that.

    `what` describes the awaited condition for the failure message (a callable is asked only
    then, e.g. to include a server's log); `condition` may itself assert, to fail at once.
    """
    deadline = time.monotonic() + safety_net
    while not (outcome := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {safety_net:g} s (the safety net, not a measure): "
                                 f"{what() if callable(what) else what}")
        time.sleep(POLL_SECONDS)
    return outcome
