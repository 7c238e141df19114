"""What earlier rehearsals of a track say about its questions, for the planner."""

from __future__ import annotations

from viva.rehearsal.planner import QuestionHistory
from viva.rehearsal.session import readable
from viva.store.database import Store

__all__ = ["RECENT_SESSIONS", "question_history", "stored_history"]

RECENT_SESSIONS = 3


def question_history(store: Store, track_id: str) -> dict[str, QuestionHistory]:
    """Per question slug: how often it was asked in the track's last few sessions,
    and the latest rating it got in any session."""
    asked: dict[str, int] = {}
    rating: dict[str, int] = {}
    rows = store.sessions(track_id)
    recent = {r.id for r in rows[-RECENT_SESSIONS:]}
    for row in rows:
        rehearsal = readable(store, row)
        if rehearsal is None:
            continue  # a damaged session shapes no draw; it never blocks its track
        for section in rehearsal.sections:
            for q in section.questions:
                if q.opening:
                    continue
                if row.id in recent and (q.answered or q.skipped):
                    asked[q.id] = asked.get(q.id, 0) + 1
                if q.rating is not None:
                    rating[q.id] = q.rating
    return {
        qid: QuestionHistory(asked.get(qid, 0), rating.get(qid)) for qid in set(asked) | set(rating)
    }


def stored_history(track_id: str) -> dict[str, QuestionHistory]:
    """The history in the user's store, without creating a store that is not there."""
    from viva.store.database import default_store_path, open_store

    if not default_store_path().exists():
        return {}
    with open_store() as store:
        return question_history(store, track_id)
