"""Run calls at the same moment from threads, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_together(*calls: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Start every call at once (a barrier lines them up) and return their results in
    order; the first exception of any call is raised here.

    Each thread gets its own connection (Django's connections are per thread), so on
    PostgreSQL the calls are truly concurrent transactions; on SQLite they queue for the
    file's write lock (transaction_mode IMMEDIATE). Needs django_db(transaction=True):
    in the default test transaction the other threads would not see this one's rows.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a concurrent call did not finish"
    if errors:
        raise errors[0]
    return results
