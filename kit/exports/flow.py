"""Fitting flowables into fixed boxes (the summary's columns): measure, split, continue.

reportlab's `Frame.addFromList` stops quietly when the next flowable does not fit and leaves it
in the list; a column has no next frame to flow onto. So columns are planned first, with the
same `Frame` logic, and drawn only once every flowable has a place. Planning only measures
(`_PlanFrame`): a plain `Frame` would draw every try onto a scratch canvas, which made
planning cost as much as printing, several times over.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame
from reportlab.platypus.doctemplate import LayoutError

_scratch: Canvas | None = None


def _canvas() -> Canvas:
    global _scratch
    if _scratch is None:
        _scratch = Canvas(io.BytesIO())
    return _scratch


class _PlanFrame(Frame):
    """A `Frame` that places flowables exactly as `Frame._add` does, but draws nothing."""

    def _add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        if getattr(flowable, "frameAction", None):
            return int(super()._add(flowable, canv, trySplit))  # draws nothing either
        flowable._frame = self
        flowable.canv = canv  # some flowables measure with it
        try:
            y, bottom, space = self._y, self._y1p, 0.0
            width = self._getAvailableWidth()
            zero_size = getattr(flowable, "_ZEROSIZE", False)
            if not self._atTop:
                space = flowable.getSpaceBefore()
                if self._oASpace:
                    if getattr(flowable, "_SPACETRANSFER", False) or zero_size:
                        space = self._prevASpace
                    space = max(space - self._prevASpace, 0)
            room = y - bottom - space
            if room <= 0 and not zero_size:
                return 0
            used_width, height = flowable.wrap(width, room)
            y -= height + space
            if y < bottom - rl_config._FUZZ:
                if not rl_config.allowTableBoundsErrors and not trySplit and (
                        height + space > self._aH or used_width > width):
                    raise LayoutError(f"{flowable.__class__} too large for the frame")
                return 0
            after = flowable.getSpaceAfter()
            y -= after
            if self._oASpace:
                if getattr(flowable, "_SPACETRANSFER", False):
                    after = self._prevASpace
                self._prevASpace = after
            if y != self._y:
                self._atTop = 0
            self._y = y
            return 1
        finally:
            for name in ("canv", "_frame"):
                if hasattr(flowable, name):
                    delattr(flowable, name)

    add = _add


def _frame(width: float, height: float) -> Frame:
    return _PlanFrame(0, 0, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, showBoundary=0)


def paginate(flowables: Sequence[Flowable], width: float, height: float,
             *, strict: bool = False, max_boxes: int | None = None) -> list[list[Flowable]]:
    """`flowables` split over as many boxes as they need; paragraphs split between lines.

    A flowable marked keepWithNext (a heading) never ends a box that holds something else.
    With `strict`, a flowable too big for an empty box raises `_TooSmall` instead of being
    placed anyway. With `max_boxes`, planning stops after that many boxes and whatever is
    left comes back, unplanned, as one more box (a page's columns need no more).
    """
    boxes: list[list[Flowable]] = []
    pending = deque(flowables)  # taken from the front: a list would make this quadratic
    while pending:
        if max_boxes is not None and len(boxes) == max_boxes:
            boxes.append(list(pending))
            break
        frame = _frame(width, height)
        box: list[Flowable] = []
        while pending:
            head = pending[0]
            if frame.add(head, _canvas()):
                box.append(pending.popleft())
                continue
            parts = frame.split(head, _canvas())
            if len(parts) >= 2 and frame.add(parts[0], _canvas()):
                box.append(parts[0])
                pending.popleft()
                pending.extendleft(reversed(parts[1:]))
            elif not box:
                if strict:
                    raise _TooSmall
                # Cannot split and too big for an empty box: place it anyway rather than
                # loop forever (text never gets here: a line always fits a card).
                box.append(pending.popleft())
            break
        while pending and len(box) > 1 and _keeps_with_next(box[-1]):
            pending.appendleft(box.pop())
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
        self._last: tuple[tuple[float, float], list[list[Flowable]] | None] | None = None

    def column_width(self, width: float) -> float:
        return (width - self.gap * (self.count - 1)) / self.count

    def _paginate(self, width: float, height: float) -> list[list[Flowable]] | None:
        """The content over this page's columns (plus the rest as one more box); None when
        not even a line fits. Remembered for the last size asked: split follows wrap."""
        if self._last is not None and self._last[0] == (width, height):
            return self._last[1]
        try:
            boxes: list[list[Flowable]] | None = paginate(
                self.content, self.column_width(width), height, strict=True,
                max_boxes=self.count)
        except _TooSmall:
            boxes = None
        self._last = ((width, height), boxes)
        return boxes

    def _fits(self, width: float, height: float) -> list[list[Flowable]] | None:
        boxes = self._paginate(width, height)
        return boxes if boxes is not None and len(boxes) <= self.count else None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if getattr(self, "_planned", False):  # a page's worth, planned by split()
            return self.width, self.height
        self.width = available_width
        if self._fits(available_width, available_height) is None:
            # Taller than the room left: the frame will ask for a split, which reuses the
            # boxes planned here rather than planning the same page again.
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
        boxes = self._paginate(available_width, available_height)
        if boxes is None:
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

