"""Helpers for the print tests: read PDFs back, build a hostile session, decode QR codes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdf

from kit.deck import Deck
from kit.demo import create_demo
from kit.session import clean_text
from kit.store import Store

HOSTILE = (
    "<b>x</b> & <i>y</i> <font size=40>big</font> &amp; </para> <br/>",
    "Жизнь прекрасна, привіт, ґанок, їжак",
    "Õunad, äädikas, öökull, üllatus – Šokk ja žürii",
    "مرحبا بالعالم",
    "Hyvä 👍 juttu 🎉 ja 👨‍👩‍👧 perhe",
    "a < b && c > d; 5 % 3; \"quoted\" 'single' \\ back",
)
LONG_COMMENT = " ".join(f"sana{i:03d} pitkä kommentti jatkuu" for i in range(300))[:6000]
LONG_WORD = "x" * 3000
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def normalise(text: str) -> str:
    """Whitespace collapsed: line breaks in the PDF are not part of the text."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def all_text(data: bytes) -> str:
    return normalise(" ".join(page_texts(data)))


def page_count(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def page_size(data: bytes, index: int = 0) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(data)).pages[index].mediabox
    return float(box.width), float(box.height)


def fonts(data: bytes) -> list[dict[str, Any]]:
    """Every font of every page (and of form XObjects inside pages), as PDF dictionaries."""
    found: list[dict[str, Any]] = []

    def visit(resources: Any) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            found.append(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        visit(page.get("/Resources"))
    return found


def is_embedded(font: dict[str, Any]) -> bool:
    if font.get("/Subtype") == "/Type0":
        return all(is_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False  # a standard-14 font: named, never embedded
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def assert_fonts_embedded_not_standard(data: bytes) -> None:
    found = fonts(data)
    assert found, "a PDF with text must name its fonts"
    for font in found:
        name = str(font.get("/BaseFont"))
        assert is_embedded(font), f"font {name} is not embedded"
        assert not any(std in name for std in STANDARD_14), f"standard font {name} is used"


def hostile_session(store: Store, deck: Deck) -> str:
    """The demo session plus 300 hostile comments, a 6,000-character one and 40 actions."""
    session = create_demo(store)
    practices = list(deck.practices())
    store.session(session).add_comment(LONG_COMMENT, "idea", practice_id=practices[0].id)
    store.session(session).add_comment(LONG_WORD, "concern", area_id=deck.areas[1].id)
    for i in range(300):
        store.session(session).add_comment(f"#{i:03d}: {HOSTILE[i % len(HOSTILE)]}",
            ("strength", "idea", "concern")[i % 3],
            practice_id=practices[i % len(practices)].id if i % 4 else None,
            area_id=None if i % 4 else (deck.areas[i % 4].id if i % 8 else None),
            group_id=(i % 3) + 1 if i % 5 else None,
        )
    for i in range(40):
        store.session(session).add_action(
            f"Toimenpide {i:02d} <b>&</b> Жизнь " + "pitkä " * (i % 25),
            "Kuka & <i>", "31.12.2027", practices[i % 7].id)
    return session


def stored(text: str) -> str:
    """A comment as the store keeps it (control characters and joiners taken out)."""
    return clean_text(text, multiline=True)


def need(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is needed (apt-get install poppler-utils zbar-tools; .ci/run does)"
    return path


def qr_of_first_page(pdf: Path, tmp: Path) -> str:
    """Rasterise page 1 at 150 dpi and decode its QR code's bytes as UTF-8."""
    prefix = tmp / "page"
    subprocess.run([need("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(prefix)], check=True, capture_output=True, timeout=120)
    png = next(tmp.glob("page*.png"))
    result = subprocess.run([need("zbarimg"), "--raw", "-q", "-Sbinary", str(png)],
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    data = result.stdout
    if data.endswith(b"\n"):  # zbarimg ends each symbol with a newline
        data = data[:-1]
    return data.decode("utf-8")
