"""Pictures drawn with block characters: QR codes and big letters a room can read off a wall.

Half blocks hold two modules a cell, one above the other, which keeps them square on a normal
terminal font; quarter blocks (2×2 a cell) keep a code whole in a small window. Dark modules
are the text colour, light ones the background: dark on light on the projector theme, where a
phone camera reads a code off the wall. Plain strings, no Textual: any screen can draw them.
"""

from __future__ import annotations

QUIET = 4  # modules of light border a reader needs around the code

_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
# Quarter blocks indexed by (top-left, top-right, bottom-left, bottom-right).
_QUARTER = {
    (0, 0, 0, 0): " ", (1, 0, 0, 0): "▘", (0, 1, 0, 0): "▝", (1, 1, 0, 0): "▀",
    (0, 0, 1, 0): "▖", (1, 0, 1, 0): "▌", (0, 1, 1, 0): "▞", (1, 1, 1, 0): "▛",
    (0, 0, 0, 1): "▗", (1, 0, 0, 1): "▚", (0, 1, 0, 1): "▐", (1, 1, 0, 1): "▜",
    (0, 0, 1, 1): "▄", (1, 0, 1, 1): "▙", (0, 1, 1, 1): "▟", (1, 1, 1, 1): "█",
}


def with_quiet_zone(matrix: list[list[bool]], quiet: int = QUIET) -> list[list[bool]]:
    """The matrix with a light border `quiet` modules wide (unless it already has one)."""
    if not matrix:
        return matrix
    border = 0
    size = len(matrix)
    while border < size // 2 and not any(matrix[border]) and not any(
            row[border] for row in matrix):
        border += 1
    add = max(0, quiet - border)
    width = len(matrix[0]) + 2 * add
    blank = [False] * width
    return ([blank[:] for _ in range(add)]
            + [[False] * add + list(row) + [False] * add for row in matrix]
            + [blank[:] for _ in range(add)])


def half_blocks(matrix: list[list[bool]]) -> list[str]:
    """Two rows of modules a line: dark modules as the text colour, light as the background."""
    rows = [list(r) for r in matrix]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return ["".join(_HALF[(top, bottom)] for top, bottom in zip(rows[i], rows[i + 1],
                                                                 strict=True))
            for i in range(0, len(rows), 2)]


def quarter_blocks(matrix: list[list[bool]]) -> list[str]:
    """Two rows and two columns of modules a cell, for small windows."""
    rows = [list(r) + ([False] if len(r) % 2 else []) for r in matrix]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for i in range(0, len(rows), 2):
        top, bottom = rows[i], rows[i + 1]
        lines.append("".join(
            _QUARTER[(int(top[j]), int(top[j + 1]), int(bottom[j]), int(bottom[j + 1]))]
            for j in range(0, len(top), 2)))
    return lines


# The join code in big letters: 5×7 pixels a character, drawn with the QR code's half blocks
# (two pixels a cell, one above the other: square on a normal terminal font).
_FONT = {
    "A": ".###. #...# #...# ##### #...# #...# #...#",
    "C": ".###. #...# #.... #.... #.... #...# .###.",
    "D": "####. #...# #...# #...# #...# #...# ####.",
    "E": "##### #.... #.... ####. #.... #.... #####",
    "F": "##### #.... #.... ####. #.... #.... #....",
    "G": ".###. #...# #.... #.### #...# #...# .####",
    "H": "#...# #...# #...# ##### #...# #...# #...#",
    "J": "..### ...#. ...#. ...#. ...#. #..#. .##..",
    "K": "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
    "M": "#...# ##.## #.#.# #.#.# #...# #...# #...#",
    "N": "#...# #...# ##..# #.#.# #..## #...# #...#",
    "P": "####. #...# #...# ####. #.... #.... #....",
    "Q": ".###. #...# #...# #...# #.#.# #..#. .##.#",
    "R": "####. #...# #...# ####. #.#.. #..#. #...#",
    "T": "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
    "U": "#...# #...# #...# #...# #...# #...# .###.",
    "V": "#...# #...# #...# #...# #...# .#.#. ..#..",
    "W": "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
    "X": "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
    "Y": "#...# #...# #...# .#.#. ..#.. ..#.. ..#..",
    "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
    "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
    "6": "..##. .#... #.... ####. #...# #...# .###.",
    "7": "##### ....# ...#. ..#.. .#... .#... .#...",
    "9": ".###. #...# #...# .#### ....# ...#. .##..",
    # Never in a code, but a code given from outside (a test, an older round) still shows.
    "B": "####. #...# #...# ####. #...# #...# ####.",
    "I": ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
    "L": "#.... #.... #.... #.... #.... #.... #####",
    "O": ".###. #...# #...# #...# #...# #...# .###.",
    "S": ".#### #.... #.... .###. ....# ....# ####.",
    "Z": "##### ....# ...#. ..#.. .#... #.... #####",
    "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
    "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
    "2": ".###. #...# ....# ...#. ..#.. .#... #####",
    "5": "##### #.... ####. ....# ....# #...# .###.",
    "8": ".###. #...# #...# .###. #...# #...# .###.",
}
_GLYPH_WIDTH, _GLYPH_HEIGHT = 5, 7


def code_matrix(code: str) -> list[list[bool]]:
    """The pixels of `code` in the big font, a blank column between characters."""
    rows: list[list[bool]] = [[] for _ in range(_GLYPH_HEIGHT)]
    for n, char in enumerate(code.upper()):
        glyph = _FONT.get(char, "..... " * _GLYPH_HEIGHT).split()
        for row, pixels in zip(rows, glyph, strict=False):
            if n:
                row.append(False)
            row.extend(pixel == "#" for pixel in pixels)
    return rows


def scaled(matrix: list[list[bool]], factor: int) -> list[list[bool]]:
    """Each module `factor` times as wide and as tall."""
    return [[module for module in row for _ in range(factor)]
            for row in matrix for _ in range(factor)]


def trimmed(matrix: list[list[bool]], border: int) -> list[list[bool]]:
    """The matrix without `border` light modules all round (a QR code's quiet zone, where
    the light screen around it gives the rest)."""
    return [row[border:len(row) - border] for row in matrix[border:len(matrix) - border]]


def fit_qr(matrix: list[list[bool]], width: int, height: int) -> list[str]:
    """The QR code as large as fits in width × height cells: half blocks (square modules)
    at the largest whole scale, else with less of its quiet zone (the light screen around
    it is quiet too), else quarter blocks (half as wide; a reader may need a larger window)."""
    for factor in (4, 3, 2, 1):
        lines = half_blocks(scaled(matrix, factor))
        if len(lines[0]) <= width and len(lines) <= height:
            return lines
    for border in (2, 4):
        lines = half_blocks(trimmed(matrix, border))
        if len(lines[0]) <= width and len(lines) <= height:
            return lines
    return quarter_blocks(trimmed(matrix, 2))
