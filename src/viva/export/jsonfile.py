"""The JSON export: tracks, their questions and each question's drill state.

One document a script can read without viva: every selected question as
``viva bank show --json`` gives it, plus ``drill`` (the card's FSRS state
and tallies, ``null`` when never reviewed), and the review log of the
tracks. Drill state of questions since removed from a bank is kept under
``retired``, so the export is also a backup of the drill history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from viva.catalog.loader import Track
from viva.drill.cards import DrillCard
from viva.drill.scheduler import CardState, make_scheduler, recall
from viva.drill.state import load_states, review_log
from viva.store.database import Store

__all__ = ["export_json"]

FORMAT = "viva-export/1"


def _state(state: CardState | None, now: datetime, recall_now: float) -> dict[str, Any] | None:
    if state is None:
        return None
    c = state.card
    return {
        "stage": state.stage,
        "due": c.due.isoformat(),
        "last_review": c.last_review.isoformat() if c.last_review else None,
        "stability": c.stability,
        "difficulty": c.difficulty,
        "reviews": state.reviews,
        "lapses": state.lapses,
        "last_rating": state.last_rating,
        "recall_now": round(recall_now, 4),
        "step": c.step,
        "created_at": state.created_at.isoformat(),
    }


def export_json(
    store: Store, tracks: Sequence[Track], cards: Sequence[DrillCard], now: datetime
) -> dict[str, Any]:
    scheduler = make_scheduler(fuzzing=False)
    ids = [t.id for t in tracks]
    states = load_states(store, ids)
    chosen = {c.id for c in cards}
    known = {f"{t.id}/{q.id}" for t in tracks for q in t.questions}
    known |= {f"{t.id}/{qid}" for t in tracks for qid in t.hidden}  # left out by a scope
    out_tracks = []
    for track in tracks:
        questions = []
        for card in cards:
            if card.track != track.id:
                continue
            state = states.get(card.id)
            r = recall(scheduler, state, now) if state else 0.0
            questions.append(
                {**card.question.model_dump(mode="json"), "drill": _state(state, now, r)}
            )
        out_tracks.append(
            {
                "id": track.id,
                "title": track.title,
                "path": track.path.id,
                "defense_minutes": track.defense_minutes,
                "questions": questions,
            }
        )
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "tracks": out_tracks,
        "retired": {
            i: _state(s, now, recall(scheduler, s, now))
            for i, s in sorted(states.items())
            if i not in known
        },
        "reviews": [
            {
                "card": r.card_id,
                "rating": r.rating,
                "reviewed_at": r.reviewed_at.isoformat(),
                "source": r.source,
                "duration_ms": r.duration_ms,
                "answer": r.answer,
            }
            for r in review_log(store, ids)
            if r.card_id in chosen or r.card_id not in known
        ],
    }
