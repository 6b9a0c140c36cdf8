"""The QR code as a plain matrix of modules, for paper (`qrdraw`) and for the screen (the app).

Text that is not plain ASCII is declared UTF-8 with an ECI marker (designator 26) ahead of its
bytes: without it a reader may take the bytes for Shift JIS or Latin-1 and show
"Kylﾃ､yhdistys". The python `qrcode` package has no ECI, so `_EciCode` writes the bit stream
itself and leaves the rest (error correction, masks, layout) to the package.

Error correction M on paper (a smudged or folded sheet still reads), L on a screen (sharp,
never folded: more text in the same size). The 4-module light border a reader needs is part of
the matrix, so every caller draws exactly what it gets.
No reportlab and no textual here: the app imports this module.
"""

from __future__ import annotations

from kit.errors import KitError

QUIET_ZONE = 4  # modules of light border around the code, as the QR standard asks
_ECI_UTF8 = 26
_ECI_MODE = 0b0111


class QrTooLong(KitError, ValueError):
    """The text does not fit in the largest QR code allowed.

    A `KitError` (one line in the user's language) that is also a `ValueError`, so callers
    written against qrcode's own error keep working.
    """

    def __init__(self, length: int) -> None:
        super().__init__("qr.too_long", length=length)


def _levels() -> dict[str, int]:
    import qrcode

    return {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M}


def _bits(payload: bytes, eci: bool, version: int):  # type: ignore[no-untyped-def]
    from qrcode import util

    buffer = util.BitBuffer()
    if eci:
        buffer.put(_ECI_MODE, 4)
        buffer.put(_ECI_UTF8, 8)
    buffer.put(util.MODE_8BIT_BYTE, 4)
    buffer.put(len(payload), util.length_in_bits(util.MODE_8BIT_BYTE, version))
    for byte in payload:
        buffer.put(byte, 8)
    return buffer


def _capacity_bits(version: int, error_correction: int) -> int:
    from qrcode import base

    return sum(block.data_count * 8 for block in base.rs_blocks(version, error_correction))


def fits(data: str, version: int, error: str = "M") -> bool:
    """Whether `data` fits a code of `version` (1-40) at error correction `error` (counted as
    bytes: ASCII may pack tighter still)."""
    payload = data.encode("utf-8")
    return len(_bits(payload, not data.isascii(), version)) <= _capacity_bits(
        version, _levels()[error])


def capacity(version: int, error: str = "M") -> int:
    """The most UTF-8 bytes (with the ECI marker) a code of `version` holds at `error`."""
    from qrcode import util

    header = 4 + 8 + 4 + util.length_in_bits(util.MODE_8BIT_BYTE, version)
    return (_capacity_bits(version, _levels()[error]) - header) // 8


def modules(version: int) -> int:
    """The side of a code of `version` in modules, quiet zone included."""
    return 17 + 4 * version + 2 * QUIET_ZONE


def qr_matrix(data: str, *, error: str = "M", max_version: int = 40) -> list[list[bool]]:
    """The modules of `data`'s QR code, row by row, True for dark, quiet zone included.

    Raises `QrTooLong` when `data` needs a larger code than `max_version`.
    """
    import qrcode
    from qrcode import util
    from qrcode.exceptions import DataOverflowError

    payload = data.encode("utf-8")
    eci = not data.isascii()
    level = _levels()[error]

    class _EciCode(qrcode.QRCode):  # type: ignore[misc]
        def best_fit(self, start: int | None = None) -> int:
            for version in range(start or 1, max_version + 1):
                if len(_bits(payload, eci, version)) <= _capacity_bits(version, level):
                    self.version = version
                    return version
            raise QrTooLong(len(payload))

        def makeImpl(self, test: bool, mask_pattern: int) -> None:
            if self.data_cache is None:
                self.data_cache = _finish(_bits(payload, eci, self.version), self.version,
                                          level, util)
            super().makeImpl(test, mask_pattern)

    # Plain ASCII (a link, a room address) needs no marker: qrcode's own encoding, which packs
    # digits and capitals tighter, keeps such codes as small as they were.
    code = (qrcode.QRCode(error_correction=level, border=QUIET_ZONE) if not eci
            else _EciCode(error_correction=level, border=QUIET_ZONE))
    try:
        if not eci:
            code.add_data(data)
            code.make(fit=True)
            if code.version > max_version:
                raise QrTooLong(len(payload))
        else:
            code.make(fit=True)
    except QrTooLong:
        raise
    except (DataOverflowError, ValueError):  # qrcode says "too much" both ways
        raise QrTooLong(len(payload)) from None
    return [[bool(module) for module in row] for row in code.get_matrix()]


def _finish(buffer, version: int, level: int, util) -> list[int]:  # type: ignore[no-untyped-def]
    """Terminator, padding to whole bytes and pad codewords, then the error correction bytes:
    what `qrcode.util.create_data` does after writing its own segments."""
    from qrcode import base

    rs_blocks = base.rs_blocks(version, level)
    limit = sum(block.data_count * 8 for block in rs_blocks)
    for _ in range(min(limit - len(buffer), 4)):
        buffer.put_bit(False)
    if len(buffer) % 8:
        for _ in range(8 - len(buffer) % 8):
            buffer.put_bit(False)
    for index in range((limit - len(buffer)) // 8):
        buffer.put(util.PAD0 if index % 2 == 0 else util.PAD1, 8)
    return list(util.create_bytes(buffer, rs_blocks))
