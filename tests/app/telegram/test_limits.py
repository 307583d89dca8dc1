"""Per-user sliding-window rate limit and its reply."""

from __future__ import annotations

import pytest

from bot.app.telegram.limits import SlidingWindowLimiter, limit_message


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("per_minute", "requests_at", "refused"),
    [
        (3, [0, 1, 2, 3], [3]),  # the fourth inside one minute waits
        (3, [0, 1, 2, 60.5], []),  # the window slides: the first has left it
        (2, [0, 30, 59, 61, 89], [2, 4]),  # 59 sees 0 and 30; 89 sees 30 and 61
        (0, [0, 0, 0, 0], []),  # 0 turns limiting off
    ],
)
def test_sliding_window(per_minute: int, requests_at: list[float], refused: list[int]) -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(per_minute, clock=clock)
    outcome = []
    for n, at in enumerate(requests_at):
        clock.now = 1000.0 + at
        if limiter.check(42) is not None:
            outcome.append(n)
    assert outcome == refused


def test_wait_time_and_other_users_unaffected() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, clock=clock)
    assert limiter.check(1) is None
    clock.now += 10
    assert limiter.check(1) is None
    clock.now += 5
    assert limiter.check(1) == pytest.approx(45.0)
    assert limiter.check(2) is None


def test_admins_are_exempt() -> None:
    limiter = SlidingWindowLimiter(1, exempt={99})
    assert all(limiter.check(99) is None for _ in range(20))
    assert limiter.check(5) is None
    assert limiter.check(5) is not None


def test_limit_message_names_the_limit_and_the_wait() -> None:
    text = limit_message(44.2, 6)
    assert "6 questions" in text
    assert "45 seconds" in text
