"""The installed package carries its deck and translations: commands work from any folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from pathlib import Path
import kit, kit.deck, kit.i18n
package = Path(kit.__file__).parent
deck = kit.deck.default_deck_path()
assert deck.is_file(), deck
if "site-packages" in str(package) and not (package.parent / "pyproject.toml").exists():
    # a real (non-editable) install: the deck must be inside the package, not borrowed
    assert deck.is_relative_to(package), (deck, package)
assert kit.i18n.t("tag.concern", "en") == "concern"
print(package)
"""


def test_commands_work_from_another_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    env_data = str(tmp_path / "data")
    result = subprocess.run([sys.executable, "-c", CODE], cwd=elsewhere, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    demo = subprocess.run([sys.executable, "-m", "kit", "--data-dir", env_data, "demo",
                           "--no-ui"], cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.strip()


def test_the_wheel_carries_deck_fonts_styles_and_translations(tmp_path: Path) -> None:
    """Build the real wheel, install it beside nothing else, and print from another folder."""
    root = Path(__file__).resolve().parents[1]
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(root)],
        capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("tyopaja-*.whl")
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
         "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    package = site / "kit"
    for part in ("cards/hyvat-kaytanteet.toml", "exports/fonts/DejaVuSans.ttf",
                 "exports/fonts/DejaVuSans-Bold.ttf", "exports/fonts/LICENSE.txt",
                 "exports/fonts/Symbola-symbols.ttf", "exports/fonts/Symbola-LICENSE.txt",
                 "app.tcss", "screens/area.tcss", "locales/fi/app.toml",
                 "locales/en/print.toml"):
        assert (package / part).is_file(), part
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "TYOPAJA_DATA_DIR": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    probe = subprocess.run(
        [sys.executable, "-c", "import kit, kit.deck; print(kit.__file__); "
         "print(kit.deck.default_deck_path())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert all(line.startswith(str(site)) for line in probe.stdout.split()), probe.stdout
    cards = subprocess.run([sys.executable, "-m", "kit", "cards", "-o", "kortit.pdf"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert cards.returncode == 0, cards.stderr
    assert (elsewhere / "kortit.pdf").read_bytes().startswith(b"%PDF")
