"""The Anki export: one ``.apkg`` with a deck per track, written with genanki.

Re-exporting must never duplicate notes in a user's collection, so every id
Anki matches on is derived from stable names: the note model's id is a
constant, each deck's id comes from its track id, and each note's GUID from
the full question id ``<track>/<slug>``. Re-importing an export therefore
updates the notes whose text changed (the export is newer) and skips the
rest. Field text is HTML-escaped: a prompt is text, never markup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path

import genanki

from viva.catalog.loader import Track
from viva.catalog.models import Question
from viva.drill.cards import DrillCard
from viva.errors import VivaError
from viva.files import atomic_path

__all__ = ["ANKI_MODEL_ID", "anki_deck_id", "anki_guid", "build_decks", "write_apkg"]

# Fixed forever: changing it makes Anki see a new note type and duplicate notes.
ANKI_MODEL_ID = 1_607_392_319
MODEL_NAME = "viva defense question"

_FIELDS = ["Prompt", "KeyPoints", "FollowUps", "Id", "Track", "Category", "Kind", "Source"]

_FRONT = """<div class="meta">{{Track}} · {{Category}} · {{Kind}}</div>
<div class="prompt">{{Prompt}}</div>"""

_BACK = """{{FrontSide}}
<hr id="answer">
<div class="label">Key points</div>
{{KeyPoints}}
{{#FollowUps}}<div class="label">Follow-ups</div>{{FollowUps}}{{/FollowUps}}
<div class="source">{{Source}} · {{Id}}</div>"""

_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; color: #222;
  background: #fff; max-width: 46em; margin: 0 auto; }
.meta, .source { font-size: 13px; color: #777; }
.prompt { font-size: 20px; margin: .6em 0; }
.label { font-weight: bold; margin-top: .8em; }
ol.follow-ups > li { margin-top: .5em; }
"""


def _stable_int(text: str) -> int:
    # In [2**30, 2**31), the range genanki recommends for deck and model ids.
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def anki_deck_id(track_id: str) -> int:
    return _stable_int(f"viva deck {track_id}")


def anki_guid(full_id: str) -> str:
    return str(genanki.guid_for("viva", full_id))


def _model() -> genanki.Model:
    return genanki.Model(
        ANKI_MODEL_ID,
        MODEL_NAME,
        fields=[{"name": f} for f in _FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def _points(points: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in points) + "</ul>"


def _follow_ups(q: Question) -> str:
    if not q.follow_ups:
        return ""
    items = "".join(f"<li>{escape(f.prompt)}{_points(f.key_points)}</li>" for f in q.follow_ups)
    return f'<ol class="follow-ups">{items}</ol>'


def _note(model: genanki.Model, card: DrillCard) -> genanki.Note:
    q = card.question
    path, _, track = card.track.partition("/")
    return genanki.Note(
        model=model,
        fields=[
            escape(q.prompt),
            _points(q.key_points),
            _follow_ups(q),
            escape(card.id),
            escape(card.track),
            escape(q.category),
            escape(q.kind),
            escape(q.source),
        ],
        guid=anki_guid(card.id),
        tags=["viva", f"viva::{path}::{track}", f"category::{q.category}", f"kind::{q.kind}"],
    )


def build_decks(tracks: Sequence[Track], cards: Sequence[DrillCard]) -> list[genanki.Deck]:
    """One deck per track (``viva::<path>::<track>``) holding the cards' notes."""
    model = _model()
    decks = []
    for track in tracks:
        deck = genanki.Deck(
            anki_deck_id(track.id),
            f"viva::{track.id.replace('/', '::')}",
            description=escape(f"{track.title} — defense questions from viva"),
        )
        deck.add_model(model)
        for card in cards:
            if card.track == track.id:
                deck.add_note(_note(model, card))
        if deck.notes:
            decks.append(deck)
    return decks


def write_apkg(
    path: Path, tracks: Sequence[Track], cards: Sequence[DrillCard], now: datetime
) -> int:
    """Write the package (atomically) and return the number of notes in it.

    ``now`` stamps the notes' modification time, which is how Anki tells an
    updated note from one it already has.
    """
    decks = build_decks(tracks, cards)
    if not decks:
        raise VivaError("nothing to export: the selected tracks have no such questions")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VivaError(f"cannot write {path}: {exc.strerror or exc}") from exc
    with atomic_path(path) as tmp:
        genanki.Package(decks).write_to_file(str(tmp), timestamp=now.timestamp())
    return sum(len(d.notes) for d in decks)
