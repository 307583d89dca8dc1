"""The upload store: per chat, in memory, gone on forget and after the retention period."""

from __future__ import annotations

from bot.reader.read import Upload, read_files
from bot.reader.store import UploadStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_kept_per_chat_until_forgotten(order_pdf):
    order = read_files([Upload("order.pdf", order_pdf[0])])
    store = UploadStore(retention_hours=24)
    store.put(1, order)
    assert store.get(1) is order and store.get(2) is None
    assert store.forget(1) is True
    assert store.get(1) is None and len(store) == 0
    assert store.forget(1) is False  # nothing left to delete


def test_expires_after_the_retention_period(order_pdf):
    order = read_files([Upload("order.pdf", order_pdf[0])])
    clock = Clock()
    store = UploadStore(retention_hours=2, clock=clock)
    store.put(7, order)
    clock.now += 2 * 3600 - 1
    assert store.get(7) is order
    clock.now += 2
    assert store.get(7) is None and len(store) == 0
