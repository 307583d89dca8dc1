"""Follow-up questions: the uploaded order's own sentences, with their page:line."""

from __future__ import annotations

from bot.reader.followup import from_order
from bot.reader.read import Upload, read_files


def test_the_sentences_that_answer_come_with_their_lines(order_pdf):
    order = read_files([Upload("order.pdf", order_pdf[0])])
    found = from_order(order, "what happens if I do not file an opposition?")
    assert any("recommendation that this action be dismissed" in s.text for s in found)
    assert all(s.pinpoint and s.pinpoint.startswith("1:") for s in found)


def test_a_question_the_order_does_not_touch_finds_nothing(order_pdf):
    order = read_files([Upload("order.pdf", order_pdf[0])])
    assert from_order(order, "zebra giraffe") == []
