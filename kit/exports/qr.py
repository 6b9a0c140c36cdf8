"""The QR code as a plain matrix of modules, for paper (`qrdraw`) and for the screen (the app).

Error correction M (a smudged or folded sheet still reads) and the 4-module light border a
reader needs are both part of the matrix, so every caller draws exactly what it gets.
No reportlab and no textual here: the app imports this module.
"""

from __future__ import annotations

from kit.errors import KitError

QUIET_ZONE = 4  # modules of light border around the code, as the QR standard asks


class QrTooLong(KitError, ValueError):
    """The text does not fit in the largest QR code.

    A `KitError` (one line in the user's language) that is also a `ValueError`, so callers
    written against qrcode's own error keep working.
    """

    def __init__(self, length: int) -> None:
        super().__init__("qr.too_long", length=length)


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of `data`'s QR code, row by row, True for dark, quiet zone included."""
    import qrcode
    from qrcode.exceptions import DataOverflowError

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    try:
        code.add_data(data)
        code.make(fit=True)
    except (DataOverflowError, ValueError):
        # qrcode says "too much" both ways: DataOverflowError, or ValueError for version 41.
        raise QrTooLong(len(data.encode("utf-8"))) from None
    return [[bool(module) for module in row] for row in code.get_matrix()]
