"""Fitting flowables into fixed boxes (cards, poster cells): measure, shrink, continue.

reportlab's `Frame.addFromList` stops quietly when the next flowable does not fit and leaves it
in the list; a card has no next page to flow onto. So card faces are planned first, with the
same `Frame` logic on a scratch canvas, and drawn only once every flowable has a place.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame

_scratch: Canvas | None = None


def _canvas() -> Canvas:
    global _scratch
    if _scratch is None:
        _scratch = Canvas(io.BytesIO())
    return _scratch


def _frame(width: float, height: float) -> Frame:
    return Frame(0, 0, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0, showBoundary=0)


def fits(flowables: Sequence[Flowable], width: float, height: float) -> bool:
    """Whether all of `flowables` fit a box of this size, as a `Frame` would place them."""
    pending = list(flowables)
    _frame(width, height).addFromList(pending, _canvas())
    return not pending


def paginate(flowables: Sequence[Flowable], width: float, height: float,
             *, strict: bool = False, max_boxes: int | None = None) -> list[list[Flowable]]:
    """`flowables` split over as many boxes as they need; paragraphs split between lines.

    A flowable marked keepWithNext (a heading) never ends a box that holds something else.
    With `strict`, a flowable too big for an empty box raises `_TooSmall` instead of being
    placed anyway. With `max_boxes`, planning stops after that many boxes and whatever is
    left comes back, unplanned, as one more box (a page's columns need no more).
    """
    boxes: list[list[Flowable]] = []
    pending = list(flowables)
    while pending:
        if max_boxes is not None and len(boxes) == max_boxes:
            boxes.append(pending)
            break
        frame = _frame(width, height)
        box: list[Flowable] = []
        while pending:
            head = pending[0]
            if frame.add(head, _canvas()):
                box.append(pending.pop(0))
                continue
            parts = frame.split(head, _canvas())
            if len(parts) >= 2 and frame.add(parts[0], _canvas()):
                box.append(parts[0])
                pending[0:1] = parts[1:]
            elif not box:
                if strict:
                    raise _TooSmall
                # Cannot split and too big for an empty box: place it anyway rather than
                # loop forever (text never gets here: a line always fits a card).
                box.append(pending.pop(0))
            break
        while pending and len(box) > 1 and _keeps_with_next(box[-1]):
            pending.insert(0, box.pop())
        boxes.append(box)
    return boxes


def _keeps_with_next(flowable: Flowable) -> bool:
    getter = getattr(flowable, "getKeepWithNext", None)
    return bool(getter()) if callable(getter) else False


class _TooSmall(Exception):
    """A box is lower than one of the flowables (or one line of one)."""


class Columns(Flowable):
    """Flowables in two (or more) balanced columns that continue on the next page.

    reportlab's BalancedColumns loses headings' keep-with-next and mishandles KeepTogether
    inside it; this one plans its columns with `paginate`, the same frame logic that
    draws them, so what is planned is what is printed, and nothing is dropped.
    """

    def __init__(self, content: Sequence[Flowable], count: int = 2, gap: float = 12) -> None:
        super().__init__()
        self.content = list(content)
        self.count = count
        self.gap = gap
        self._plan: list[list[Flowable]] = []

    def column_width(self, width: float) -> float:
        return (width - self.gap * (self.count - 1)) / self.count

    def _fits(self, width: float, height: float) -> list[list[Flowable]] | None:
        try:
            boxes = paginate(self.content, self.column_width(width), height, strict=True,
                             max_boxes=self.count)
        except _TooSmall:
            return None
        return boxes if len(boxes) <= self.count else None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if getattr(self, "_planned", False):  # a page's worth, planned by split()
            return self.width, self.height
        self.width = available_width
        if self._fits(available_width, available_height) is None:
            # Taller than the room left: the frame will ask for a split.
            self.height = available_height + 1
            return self.width, self.height
        low, high = 1.0, float(available_height)  # the lowest height that still fits
        while high - low > 1:
            middle = (low + high) / 2
            if self._fits(available_width, middle) is None:
                low = middle
            else:
                high = middle
        plan = self._fits(available_width, high)
        assert plan is not None
        self._plan, self.height = plan, high
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        try:
            boxes = paginate(self.content, self.column_width(available_width),
                             available_height, strict=True, max_boxes=self.count)
        except _TooSmall:
            return []  # not even a line fits here: start on the next page
        if len(boxes) <= self.count:
            return [self]
        first = Columns([f for box in boxes[:self.count] for f in box], self.count, self.gap)
        first._plan = boxes[:self.count]
        first.width, first.height = available_width, available_height
        first._planned = True
        rest = Columns([f for box in boxes[self.count:] for f in box], self.count, self.gap)
        return [first, rest]

    def draw(self) -> None:
        column_width = self.column_width(self.width)
        for index, box in enumerate(self._plan):
            frame = Frame(index * (column_width + self.gap), 0, column_width, self.height,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                          showBoundary=0)
            pending = list(box)
            frame.addFromList(pending, self.canv)
            if pending:  # planned with the same frame logic: a bug, never a silent cut
                raise RuntimeError("a column's content did not fit its planned place")


def shrink_to_fit(
    make: Callable[[float, bool], list[Flowable]],
    width: float,
    height: float,
    largest: float,
    smallest: float,
    step: float = 0.5,
) -> tuple[float, list[list[Flowable]]]:
    """The largest type size in [smallest, largest] at which `make(size, extras)` fits.

    Extras (the discussion questions on a practice card) go first: they are dropped before the
    text gets smaller than `smallest`. Below that the text is never shrunk: it continues in a
    second box instead.
    """
    for extras in (True, False):
        size = largest
        while size >= smallest - 1e-6:
            flowables = make(size, extras)
            if fits(flowables, width, height):
                return size, [flowables]
            size -= step
    return smallest, paginate(make(smallest, False), width, height)
