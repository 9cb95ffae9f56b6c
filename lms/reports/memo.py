"""Figures kept between requests in this process, keyed by everything they are computed from.

A dashboard or an overview row is a function of a cycle's data, the catalog and today's date.
Every write that changes a cycle's data raises `cycle.revision` in the same transaction
(lms/campaigns/revisions.py), so a key of (cycle id, revision, date) names one immutable
result; a catalog reload starts an empty memo. Nothing is ever stale, only recomputed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app


class Memo:
    """A bounded least-recently-used map for one catalog."""

    def __init__(self, catalog, size: int) -> None:
        self.catalog = catalog
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any],
            fresh: Callable[[Any], bool] | None = None) -> Any:
        """The value kept for key, else make() kept; `fresh` may refuse a kept value (one
        that depends on the time)."""
        with self._lock:
            if key in self._items and (fresh is None or fresh(self._items[key])):
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_many(self, keys: list[Hashable], make: Callable[[list[Hashable]], dict]) -> dict:
        """The values of these keys, computing the missing ones together in one call."""
        with self._lock:
            found = {key: self._items[key] for key in keys if key in self._items}
        missing = [key for key in keys if key not in found]
        if missing:
            made = make(missing)
            with self._lock:
                self._items.update(made)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            found.update(made)
        return found


def memo_for(catalog) -> Memo:
    """This app's memo for this catalog (a new, empty one once the catalog has changed)."""
    memo = current_app.extensions.get("lms.memo")
    if memo is None or memo.catalog is not catalog:
        memo = Memo(catalog, current_app.config["FIGURES_MEMO_SIZE"])
        current_app.extensions["lms.memo"] = memo
    return memo
