"""Voting slips on paper: one slip per code, every QR code read back by a real reader, and the
type and module sizes measured from the PDF itself, not taken from the builder's word."""

from __future__ import annotations

import io
import math
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pypdf
import pytest
from print_helpers import assert_fonts_embedded_not_standard, need, page_count, page_texts
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from kit.demo import create_demo
from kit.exports import slips as slip_sheet
from kit.exports.slips import PER_PAGE, SlipBox, build_slips
from kit.i18n import t
from kit.room.round import CODE_ALPHABET
from kit.room.slips import format_slip, slip_url
from kit.store import SessionHandle, Store

HOST, PORT = "192.168.8.20", 8765
SLIP = re.compile(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")
TEXT_FLOOR, CODE_FLOOR, MODULE_FLOOR = 12.0, 18.0, 0.8 * mm


def _session(store: Store, lang: str = "fi") -> SessionHandle:
    return store.session(create_demo(store, lang))


def build(handle: SessionHandle, codes: list[str], **options: Any) -> tuple[bytes, Any]:
    stream = io.BytesIO()
    result = build_slips(handle.snapshot, codes, stream, host=options.pop("host", HOST),
                         port=options.pop("port", PORT), invariant=True, **options)
    data = stream.getvalue()
    assert result.pages == page_count(data)
    assert result.missing == 0
    return data, result


# --- reading the PDF back --------------------------------------------------------------------


def text_sizes(data: bytes) -> list[list[tuple[str, float]]]:
    """Every piece of text on every page with the size it is drawn at (the font size of its
    Tf, scaled by the text and the current transformation matrices)."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        found: list[tuple[str, float]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float,
                  found: list[tuple[str, float]] = found) -> None:
            if text.strip():
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                found.append((text.strip(), round(size * scale, 3)))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The PDF's matrix product a × b of [a b c d e f] matrices."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def shapes(data: bytes, index: int) -> tuple[list[list[tuple[float, float]]],
                                              list[list[tuple[float, float]]]]:
    """The filled and the stroked subpaths of a page, as points in page space."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    operations = ContentStream(reader.pages[index].get_contents(), reader).operations
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    path: list[list[tuple[float, float]]] = []
    filled: list[list[tuple[float, float]]] = []
    stroked: list[list[tuple[float, float]]] = []

    def point(x: float, y: float) -> tuple[float, float]:
        return (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])

    for operands, operator in operations:
        values = [float(v) for v in operands] if operator in (b"cm", b"m", b"l", b"re") else []
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _multiply(values, ctm)
        elif operator == b"m":
            path.append([point(*values)])
        elif operator == b"l":
            path[-1].append(point(*values))
        elif operator == b"re":
            x, y, w, h = values
            path.append([point(x, y), point(x + w, y), point(x + w, y + h), point(x, y + h)])
        elif operator in (b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*"):
            filled += path
            path = []
        elif operator in (b"S", b"s"):
            stroked += path
            path = []
        elif operator == b"n":
            path = []
    return filled, stroked


def module_sizes(data: bytes, index: int) -> Counter[float]:
    """The heights of the page's filled shapes: a QR code is drawn as runs of dark modules,
    one module tall, so the commonest height is the module's side."""
    filled, _stroked = shapes(data, index)
    return Counter(round(max(y for _x, y in shape) - min(y for _x, y in shape), 3)
                   for shape in filled if len(shape) > 2)


def decode_slips(pdf: Path, boxes: tuple[SlipBox, ...], tmp: Path, dpi: int = 150,
                 grey: bool = False) -> list[list[str]]:
    """Each slip's QR codes as a reader decodes them off the rendered page, one slip at a
    time, as a phone sees one slip (zbar looking for six codes in a whole page at once now
    and then overlooks one that it reads at once on its own)."""
    from PIL import Image

    prefix = tmp / f"page{dpi}{'g' if grey else ''}"
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-png", *(["-gray"] if grey else []),
                    str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
    pngs = sorted(tmp.glob(f"{prefix.name}-*.png"))
    scale = dpi / 72
    out = []
    for n, box in enumerate(boxes):
        with Image.open(pngs[box.page]) as page:
            top = page.height - (box.y + box.height) * scale
            crop = page.crop((round(box.x * scale), round(top),
                              round((box.x + box.width) * scale),
                              round(top + box.height * scale)))
            crop.save(tmp / f"slip{n}.png")
        result = subprocess.run([need("zbarimg"), "--raw", "-q", str(tmp / f"slip{n}.png")],
                                capture_output=True, timeout=120)
        assert result.returncode == 0, (box.code, result.stderr.decode(errors="replace"))
        out.append(result.stdout.decode("utf-8").splitlines())
    return out


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "count", "area"), [("fi", 9, False), ("en", 6, True),
                                                    ("fi", 1, True)])
def test_one_slip_per_code_and_every_qr_code_reads_back(
        store: Store, tmp_path: Path, lang: str, count: int, area: bool) -> None:
    handle = _session(store, lang)
    area_id = handle.snapshot.meta.area_ids[1] if area else None
    codes = handle.make_slips(count, area_id, HOST, PORT)
    data, result = build(handle, codes, area_id=area_id, lang=lang)
    boxes: tuple[SlipBox, ...] = result.details
    assert len(boxes) == count and page_count(data) == -(-count // PER_PAGE)
    assert [box.code for box in boxes] == [format_slip(code) for code in codes]
    # The text: each code once, in words, and the words every slip carries.
    pages = page_texts(data)
    printed = [code for text in pages for code in SLIP.findall(text)]
    assert sorted(printed) == sorted(format_slip(code) for code in codes)
    whole = " ".join(pages)
    meta = handle.snapshot.meta
    for words in (t("print.slips.title", lang), meta.association):
        assert whole.count(words) == count, words
    if area_id is not None:
        area = handle.snapshot.deck.area(area_id)
        assert whole.count(area.title(lang)) == count
        assert whole.count(t("print.slips.once", lang)) == count
    else:
        assert whole.count(t("print.slips.once_each", lang)) == count
    # Every QR code, read off the rendered pages: one code on each slip, its own address.
    path = tmp_path / "slips.pdf"
    path.write_bytes(data)
    decoded = decode_slips(path, boxes, tmp_path)
    assert decoded == [[slip_url(HOST, PORT, code)] for code in codes]
    assert_fonts_embedded_not_standard(data)


def test_type_and_qr_modules_meet_the_floors_measured_from_the_pdf(store: Store) -> None:
    handle = _session(store)
    # The longest texts a slip may get: a long name, an area, the longest address.
    area_id = max(handle.snapshot.meta.area_ids,
                  key=lambda a: len(handle.snapshot.deck.area(a).title("fi")))
    handle.update(association="Kaakkois-Suomen Eläkeläisten Yhteistoimintayhdistys ry",
                  title="Toimintakyvyn ja osallisuuden kevättyöpaja kaikille jäsenille")
    for lang in ("fi", "en"):
        codes = handle.make_slips(8, area_id, "192.168.100.200", 65535)
        data, result = build(handle, codes, area_id=area_id, lang=lang,
                             host="192.168.100.200", port=65535)
        sizes = [size for page in text_sizes(data) for _text, size in page]
        assert sizes and min(sizes) >= TEXT_FLOOR, lang
        for page in text_sizes(data):
            codes_here = [size for text, size in page if SLIP.fullmatch(text)]
            assert codes_here and min(codes_here) >= CODE_FLOOR
            assert all(size < CODE_FLOOR for text, size in page if not SLIP.fullmatch(text))
        boxes: tuple[SlipBox, ...] = result.details
        for page in range(result.pages):
            heights = module_sizes(data, page)
            module, runs = heights.most_common(1)[0]
            assert runs > 100  # QR runs, not the odd rectangle
            assert module >= MODULE_FLOOR, (lang, module / mm)
            drawn = {round(box.qr_module, 3) for box in boxes if box.page == page}
            assert drawn == {module}  # the builder's numbers are what the PDF has
        for box in boxes:
            assert box.qr_side == pytest.approx(box.qr_modules * box.qr_module)
            # Inside its slip, clear of the cut.
            assert box.x + 3 * mm <= box.qr_x and box.qr_x + box.qr_side <= box.x + box.width
            assert box.y + 3 * mm <= box.qr_y
            assert box.qr_y + box.qr_side <= box.y + box.height - 3 * mm


def test_the_slips_sit_edge_to_edge_with_cut_marks_outside_them(store: Store) -> None:
    handle = _session(store)
    codes = handle.make_slips(PER_PAGE, None, HOST, PORT)
    data, result = build(handle, codes)
    boxes: tuple[SlipBox, ...] = result.details
    left = min(b.x for b in boxes)
    right = max(b.x + b.width for b in boxes)
    bottom = min(b.y for b in boxes)
    top = max(b.y + b.height for b in boxes)
    assert sum(b.width * b.height for b in boxes) == pytest.approx(
        (right - left) * (top - bottom))  # no gaps: one straight cut between two slips
    assert left >= slip_sheet.MARGIN - 0.01 and bottom >= slip_sheet.MARGIN - 0.01
    _filled, stroked = shapes(data, 0)
    assert len(stroked) == 2 * (slip_sheet.COLUMNS + 1) + 2 * (slip_sheet.ROWS + 1)
    for mark in stroked:
        for x, y in mark:
            assert not (left < x < right and bottom < y < top), (x, y)  # never on a slip


def test_the_same_codes_make_the_same_file(store: Store) -> None:
    handle = _session(store)
    codes = handle.make_slips(3, None, HOST, PORT)
    assert build(handle, codes)[0] == build(handle, codes)[0]


def test_the_slips_do_not_fit_check_is_real(store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder refuses to squeeze text under its floors: with no room, it says so."""
    handle = _session(store)
    codes = handle.make_slips(1, None, HOST, PORT)
    monkeypatch.setattr(slip_sheet, "ROWS", 6)
    with pytest.raises(AssertionError, match="do not fit"):
        build(handle, codes)


def test_a_page_rasterised_small_and_grey_still_shows_every_slip(
        store: Store, tmp_path: Path) -> None:
    """What the facilitator's print preview (and a tired photocopier) makes of a page."""
    handle = _session(store)
    codes = handle.make_slips(PER_PAGE, None, HOST, PORT)
    data, _result = build(handle, codes)
    pdf = tmp_path / "slips.pdf"
    pdf.write_bytes(data)
    for option in ([], ["-gray"]):
        prefix = tmp_path / ("grey" if option else "colour")
        subprocess.run([need("pdftoppm"), "-r", "60", "-png", *option, "-f", "1", "-l", "1",
                        str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
        png = next(tmp_path.glob(f"{prefix.name}*.png"))
        assert png.stat().st_size > 10_000
    # In grey at 100 dpi, coarser than a cheap printer: every code still reads.
    decoded = decode_slips(pdf, _result.details, tmp_path, dpi=100, grey=True)
    assert decoded == [[slip_url(HOST, PORT, code)] for code in codes]
