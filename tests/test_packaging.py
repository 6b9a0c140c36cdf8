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
