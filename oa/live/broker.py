"""Brokers between the feed and the scorers.

`LocalBroker` is the default: a bounded in-process queue, no server. Bounded, so a
scorer that falls behind slows the feed down (back-pressure) instead of letting
the queue, and every shot's wait in it, grow without end. `oa.live.redis_broker`
is the scale-out path over Redis Streams.
"""

from __future__ import annotations

import threading
from collections import deque

from oa.live.messages import Message


class LocalBroker:
    """A bounded queue of message batches between threads of one process."""

    def __init__(self, capacity: int = 256):
        self.capacity = capacity
        self._q: deque[list[Message]] = deque()
        self._size = 0
        self._closed = False
        self._cv = threading.Condition()

    def publish(self, batch: list[Message]) -> None:
        """Add a batch (blocks while the queue is full)."""
        with self._cv:
            while self._size >= self.capacity and not self._closed:
                self._cv.wait()
            self._q.append(batch)
            self._size += len(batch)
            self._cv.notify_all()

    def close(self) -> None:
        """No more messages: consumers drain what is left, then stop."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()

    def poll(self, timeout: float = 0.5) -> list[Message] | None:
        """The next batches (possibly empty after `timeout`); None once closed and drained."""
        with self._cv:
            if not self._q and not self._closed:
                self._cv.wait(timeout)
            if not self._q:
                return None if self._closed else []
            out: list[Message] = []
            while self._q:
                out.extend(self._q.popleft())
            self._size = 0
            self._cv.notify_all()
            return out
