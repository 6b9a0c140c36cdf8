"""ctrl+z on the area and summary screens: take back the last entry, but never unseen.

The store takes back only its last undoable entry, wherever it was made. When that entry is in
another area than the one shown, or when taking it back deletes text someone typed (a comment,
an action item, an edit of one), the facilitator is told what and where, and asked first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kit.errors import KitError
from kit.i18n import t
from kit.session import comment_area
from kit.view import describe, shorten

if TYPE_CHECKING:
    from kit.entries.base import Entry
    from kit.screens.base import KitScreen
    from kit.session import Snapshot

TEXT_KINDS = frozenset({"comment", "comment_edit", "comment_remove",
                        "action", "action_edit", "action_remove"})


def entry_area(snapshot: Snapshot, entry: Entry) -> str | None:
    """The area an entry belongs to, or None (an action item, a comment on the workshop)."""
    practice = entry.data.get("practice")
    if isinstance(practice, str):
        return snapshot.deck.practice(practice).area_id
    if entry.kind.startswith("comment"):
        target = entry.id if entry.kind == "comment" else entry.data.get("target")
        for comment in snapshot.comments:
            if comment.id == target:
                return comment_area(snapshot.deck, comment)
    return None


def typed_text(snapshot: Snapshot, entry: Entry) -> str | None:
    """The text of the comment or action item an entry made or changed, as it is now."""
    if entry.kind not in TEXT_KINDS:
        return None
    target = entry.id if entry.kind in ("comment", "action") else entry.data.get("target")
    items = snapshot.comments if entry.kind.startswith("comment") else snapshot.actions
    for item in items:
        if item.id == target:
            return str(item.text if entry.kind.startswith("comment") else item.what)
    return None


def undo_question(snapshot: Snapshot, entry: Entry, area_id: str | None,
                  lang: str) -> str | None:
    """What to ask before taking `entry` back on a screen showing `area_id`; None: no need."""
    what = describe(snapshot, entry, lang)
    text = typed_text(snapshot, entry)
    if text is not None:
        what += f": ”{shorten(text, 60)}”" if lang == "fi" else f": “{shorten(text, 60)}”"
    where = entry_area(snapshot, entry)
    parts = []
    if area_id is not None and where != area_id:
        if where is None:
            parts.append(t("undo.elsewhere", lang, what=what))
        else:
            title = snapshot.deck.area(where).title(lang)
            parts.append(t("undo.other_area", lang, what=what, area=title))
    if entry.kind in TEXT_KINDS:
        if not parts:
            parts.append(t("undo.this", lang, what=what))
        parts.append(t("undo.text_goes", lang))
    return "\n\n".join(parts) if parts else None


def undo_last(screen: KitScreen, area_id: str | None, done: Callable[[str], None]) -> None:
    """Take back the last entry (asking first where `undo_question` says so); `done(what)`."""
    kit = screen.kit
    if kit.session_id is None:
        return
    target = kit.session.last_undoable()
    if target is None:
        kit.notify(t("app.nothing_to_undo", kit.lang), markup=False)
        return
    question = undo_question(kit.snapshot(), target, area_id, kit.lang)

    def take_back(yes: bool | None = True) -> None:
        if not yes:
            return
        what = describe(kit.snapshot(), target, kit.lang)
        try:
            undone = kit.session.undo()
        except KitError as error:
            screen.fail(error)
            return
        if undone is not None:
            done(what)

    if question is None:
        take_back()
        return
    from kit.screens.base import ConfirmDialog

    kit.push_screen(ConfirmDialog(question, t("undo.yes", kit.lang)), take_back)
