"""The QR code on paper: the module matrix of `kit.exports.qr` as vector rectangles.

Vectors stay sharp at any printer resolution. Dark modules next to each other in a row are
merged into one rectangle, and all the rectangles are one filled path: the PDF stays small, no
hairline gaps show between modules, and drawing it is one shape rather than a thousand (which
cost a tenth of a second to build and render).
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Path, Rect

from kit.exports import styles
from kit.exports.qr import modules, qr_matrix


def module_size(modules: int, side: float = styles.QR_SIZE) -> float:
    """Module size that fills `side`, but never below the minimum that reads off paper."""
    return max(styles.QR_MODULE_MIN, side / modules)


def qr_drawing(data: str, side: float = styles.QR_SIZE) -> Drawing:
    """`data` as a QR code drawing, quiet zone included (raises KitError when too long for a
    code whose modules are at least `QR_MODULE_MIN` within `QR_SIDE_MAX`)."""
    largest = max(v for v in range(1, 41)
                  if modules(v) * styles.QR_MODULE_MIN <= styles.QR_SIDE_MAX)
    matrix = qr_matrix(data, max_version=largest)
    return matrix_drawing(matrix, module_size(len(matrix), side))


def matrix_drawing(matrix: list[list[bool]], module: float) -> Drawing:
    """A drawing of `matrix`: a white square (the quiet zone is part of it), dark runs on top."""
    count = len(matrix)
    size = count * module
    drawing = styles.drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=styles.WHITE, strokeColor=None))
    dark = Path(fillColor=styles.QR_DARK, strokeColor=None, strokeWidth=0)
    for row_index, row in enumerate(matrix):
        y = size - (row_index + 1) * module  # row 0 is the top
        start: int | None = None
        for col, is_dark in enumerate([*row, False]):
            if is_dark and start is None:
                start = col
            elif not is_dark and start is not None:
                left, right = start * module, col * module
                dark.moveTo(left, y)
                dark.lineTo(right, y)
                dark.lineTo(right, y + module)
                dark.lineTo(left, y + module)
                dark.closePath()
                start = None
    drawing.add(dark)
    return drawing
