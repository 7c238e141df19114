"""What a packet shows: the catalog, an agenda and (after a rehearsal) a
session's report turned into one plain context for the templates.

Everything the templates print is computed here (numbering, clock times,
bar widths, key-point hints, the drill list), so the templates stay simple
enough for a user to restyle. User text (answers, transcripts, the
candidate's name, a reviewer's notes and verdict, user banks) is passed
through as plain strings; the Jinja environment escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from viva.catalog.loader import Catalog, Track
from viva.catalog.models import Category
from viva.errors import UsageProblem
from viva.packet.coverage import hint_key_points
from viva.packet.options import PAGE_SIZES, NoteSize, PacketKind, PacketOptions
from viva.rehearsal.agenda import Agenda, PlannedQuestion
from viva.rehearsal.engine import RATING_NAMES, clock_text
from viva.rehearsal.report import CategoryScore, QuestionReport, Report
from viva.text import printable

__all__ = ["blank_packet", "session_packet"]

DRILL_LIMIT = 8
LONG_ANSWER_CHARS = 2500
_KIND_LABELS = {
    "defensible": "defensible",
    "failure-scenario": "failure scenario",
    "review": "review",
    "deep-dive": "deep dive",
}


def _hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def _elapsed(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}"


def _rubric(category: Category | None) -> list[dict[str, Any]]:
    if category is None:
        return [{"score": n, "label": str(n), "descriptor": ""} for n in range(1, 6)]
    return [r.model_dump() for r in category.rubric]


def _score_text(value: float | None) -> str:
    """``4``, ``3.5`` or ``3.67``: a score as few digits as it needs (empty for none)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0")


def _level(rubric: Sequence[dict[str, Any]], value: float | None) -> dict[str, Any] | None:
    """The rubric level a whole score names (a mean between levels names none)."""
    if value is None or not float(value).is_integer():
        return None
    return next((level for level in rubric if level["score"] == int(value)), None)


def _score_label(rubric: Sequence[dict[str, Any]], value: float | None) -> str:
    """``4 · Strong`` for a whole score, ``3.5`` for a mean, empty for none."""
    level = _level(rubric, value)
    if level is None:
        return _score_text(value)
    return f"{_score_text(value)} · {level['label']}"


def _track_context(catalog: Catalog, track: Track, minutes: int) -> dict[str, Any]:
    spec = track.spec
    fmt = catalog.format_for(track.path.id)
    return {
        "id": track.id,
        "title": track.title,
        "path_title": track.path.title,
        "outcome": spec.outcome,
        "functional_spec": list(spec.functional_spec),
        "numeric_targets": track.numeric_targets(),
        "acceptance": list(track.acceptance_checklist()),
        "format_title": fmt.title,
        "minutes": minutes,
    }


def _short(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _sections(
    catalog: Catalog,
    track: Track,
    agenda: Agenda,
    start: datetime | None,
    report: Report | None,
    options: PacketOptions,
) -> list[dict[str, Any]]:
    recorded = (
        {s.id: {q.question_id: q for q in s.questions} for s in report.sections} if report else {}
    )
    spent = {s.id: s.spent_seconds for s in report.sections} if report else {}
    scale = max([float(s.budget_seconds) for s in agenda.sections] + list(spent.values()) + [1.0])
    sections = []
    offset = 0
    number = 0
    for s in agenda.sections:
        budget = s.budget_seconds
        begin, end = offset, offset + budget
        offset = end
        questions = []
        for q in s.questions:
            number += 1
            record = recorded.get(s.id, {}).get(q.id)
            questions.append(_question(catalog, track, q, number, record, options))
        used = spent.get(s.id, 0.0)
        sections.append(
            {
                "id": s.id,
                "title": s.title,
                "budget_seconds": budget,
                "budget_label": clock_text(budget),
                "start_label": _hhmm(start + timedelta(seconds=begin))
                if start
                else _elapsed(begin),
                "end_label": _hhmm(start + timedelta(seconds=end)) if start else _elapsed(end),
                "questions": questions,
                "first_number": questions[0]["number"] if questions else None,
                "last_number": questions[-1]["number"] if questions else None,
                "planned_minutes": s.planned_minutes,
                "spent_seconds": used,
                "spent_label": clock_text(used),
                "over": used > budget,
                "over_label": clock_text(used - budget) if used > budget else "",
                # Bar widths in percent of the widest bar (budget or spent).
                "bar_budget": round(100 * budget / scale, 2),
                "bar_spent": round(100 * min(used, budget) / scale, 2),
                "bar_over": round(100 * max(0.0, used - budget) / scale, 2),
            }
        )
    return sections


def _speech_line(record: QuestionReport, planned_seconds: float) -> str:
    """How a spoken answer was said, in one line (empty for a typed one)."""
    fig = record.speech
    if fig is None:
        return ""
    return (
        f"Spoken: {clock_text(fig.speaking_seconds)} speaking of {clock_text(planned_seconds)} "
        f"planned · {fig.words} words, {fig.words_per_minute:.0f} per minute · "
        f"{fig.filler_count} fillers ({fig.fillers_per_minute:.1f} per minute) · "
        f"longest pause {fig.longest_pause_seconds:.1f} s · transcribed by {fig.engine}"
    )


def _question(
    catalog: Catalog,
    track: Track,
    planned: PlannedQuestion,
    number: int,
    record: QuestionReport | None,
    options: PacketOptions,
) -> dict[str, Any]:
    bank = track.question(planned.id)
    category = catalog.categories.get(planned.category)
    key_points = list(bank.key_points) if bank else []
    answer = record.spoken_text if record else None
    hints = hint_key_points(answer or "", key_points) if record else []
    seconds = record.seconds if record else 0.0
    planned_seconds = (
        record.planned_seconds if record and record.planned_seconds else (planned.minutes * 60)
    )
    asked = set(record.follow_ups_asked) if record else set()
    reached = bool(record and (answer or record.skipped or seconds > 0))
    rubric = _rubric(category)
    score = record.score if record else None
    level = _level(rubric, score)
    notes = [printable(n) for n in record.notes] if record else []
    transcript = printable(record.speech.text) if record and record.speech else ""
    typed = printable(record.answer) if record else ""
    written = len(answer or "") + sum(len(n) for n in notes)  # answer: with its transcript
    lines = (answer or "").count("\n") + sum(n.count("\n") for n in notes)
    return {
        "number": number,
        "id": planned.id,
        "opening": planned.opening,
        "prompt": planned.prompt,
        "prompt_short": _short(planned.prompt),
        "category": planned.category,
        "category_title": category.title if category else planned.category,
        "kind": _KIND_LABELS.get(planned.kind, planned.kind),
        "minutes": planned.minutes,
        "key_points": key_points if options.key_points else [],
        "must": planned.must,
        "follow_ups": [
            {
                "prompt": f.prompt,
                "key_points": list(f.key_points) if options.key_points else [],
                "asked": f.prompt in asked,
            }
            for f in (bank.follow_ups if bank else ())
        ],
        "rubric": rubric,
        "recorded": record is not None,
        "answer": printable(answer or ""),
        "speech": _speech_line(record, planned_seconds) if record else "",
        "seconds_label": clock_text(seconds),
        "planned_label": clock_text(planned_seconds),
        "overtime": seconds > planned_seconds * 1.25,
        "short": bool(record and record.short),
        "skipped": bool(record and record.skipped),
        "flagged": bool(record and record.flagged),
        "rating": record.rating if record else None,
        "rating_label": RATING_NAMES.get(record.rating or 0, "") if record else "",
        "reached": reached,
        # Too long to keep on one page with its question: let it run on.
        "long": written > LONG_ANSWER_CHARS or lines > 30,
        "hints": [h.__dict__ for h in hints],
        "covered": sum(h.covered for h in hints),
        # A reviewed session: the reviewer's score (against this rubric) and notes,
        # the follow-ups put to the candidate, the transcript and the typed answer.
        "score": score,
        "score_label": _score_label(rubric, score),
        "score_descriptor": level["descriptor"] if level else "",
        "notes": notes,
        "follow_ups_asked": list(record.follow_ups_asked) if record else [],
        "transcript": transcript,
        "typed_answer": typed,
    }


def _categories(catalog: Catalog, sections: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    asked: dict[str, list[int]] = {}
    for s in sections:
        for q in s["questions"]:
            asked.setdefault(q["category"], []).append(q["number"])
    return [
        {
            "id": c.id,
            "title": c.title,
            "description": c.description,
            "rubric": _rubric(c),
            "questions": asked.get(c.id, []),
        }
        for c in catalog.categories.values()
    ]


def _scoring_sheet(
    catalog: Catalog, report: Report, sections: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A reviewed session's category scores, in agenda order, for the scoring sheet."""
    numbers: dict[str, list[int]] = {}
    for s in sections:
        for q in s["questions"]:
            if q["score"] is not None or not q["opening"]:
                numbers.setdefault(q["category"], []).append(q["number"])
    rows = []
    for c in report.category_scores:
        category = catalog.categories.get(c.category)
        rubric = _rubric(category)
        rows.append(_category_row(c, category, rubric, numbers.get(c.category, [])))
    return rows


def _category_row(
    c: CategoryScore, category: Category | None, rubric: list[dict[str, Any]], numbers: list[int]
) -> dict[str, Any]:
    level = _level(rubric, c.score)
    return {
        "id": c.category,
        "title": category.title if category else c.category,
        "questions": numbers,
        "questions_scored": c.questions_scored,
        "mean": c.mean,
        "mean_label": _score_text(c.mean) or "—",
        "score": c.score,
        "score_label": _score_label(rubric, c.score) or "—",
        "score_descriptor": level["descriptor"] if level else "",
        "given": c.given,
        "source": (
            "given by the reviewer"
            if c.given
            else "mean of the question scores"
            if c.score is not None
            else "no score"
        ),
    }


def _drill_next(sections: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions most worth drilling, with the reasons, weakest first."""
    scored = []
    for s in sections:
        for q in s["questions"]:
            reasons: list[str] = []
            weight = 0.0
            if q["skipped"]:
                reasons.append("skipped")
                weight += 3
            if q["flagged"]:
                reasons.append("flagged")
                weight += 2
            if q["rating"] in (1, 2):
                reasons.append(f"rated {q['rating_label']}")
                weight += 3 - q["rating"] + 1
            if (
                q["hints"]
                and q["reached"]
                and not q["skipped"]
                and q["covered"] * 2 < len(q["hints"])
            ):
                reasons.append(f"covered {q['covered']} of {len(q['hints'])} key points (hint)")
                weight += 1 + (len(q["hints"]) - q["covered"]) / len(q["hints"])
            if q["overtime"]:
                reasons.append(f"took {q['seconds_label']} of {q['planned_label']}")
                weight += 1
            if not q["reached"]:
                reasons.append("not reached")
                weight += 0.5
            if reasons:
                scored.append((-weight, q["number"], {**q, "reasons": reasons}))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [entry for _, _, entry in scored[:DRILL_LIMIT]]


def _header(track: Track, candidate: str | None) -> str:
    return f"{track.id} · {candidate}" if candidate else track.id


def _common(
    catalog: Catalog,
    track: Track,
    agenda: Agenda,
    candidate: str | None,
    sections: list[dict[str, Any]],
    options: PacketOptions,
) -> dict[str, Any]:
    """What every packet shows."""
    return {
        "show_key_points": options.key_points,
        "paper": PAGE_SIZES[options.paper],
        "large_notes": options.notes is NoteSize.large,
        "track": _track_context(catalog, track, agenda.minutes),
        "candidate": printable(candidate) if candidate else candidate,
        "header": _header(track, printable(candidate) if candidate else candidate),
        "minutes": agenda.minutes,
        "seed": agenda.seed,
        "repeat": (f"viva plan {track.id} {agenda.repeat_args()}" if agenda.repeatable else None),
        "scopes": [f"{sc.id}: {sc.title}" for sc in track.spec.scopes if sc.id in agenda.scopes],
        "scopes_offered": bool(track.spec.scopes),
        "sections": sections,
        "question_count": sum(len(s["questions"]) for s in sections),
        "categories": _categories(catalog, sections),
    }


def blank_packet(
    catalog: Catalog,
    track: Track,
    agenda: Agenda,
    *,
    candidate: str | None = None,
    start: datetime | None = None,
    today: datetime | None = None,
    options: PacketOptions | None = None,
) -> dict[str, Any]:
    """The context of a reviewer packet to print before a live defense."""
    options = options or PacketOptions()
    sections = _sections(catalog, track, agenda, start, None, options)
    when = (today or datetime.now(UTC)).astimezone()
    return {
        **_common(catalog, track, agenda, candidate, sections, options),
        "kind": PacketKind.reviewer,
        "recorded": False,
        "date": f"{when:%Y-%m-%d}",
        "session": None,
        "clock_is_elapsed": start is None,
        "start_label": _hhmm(start) if start else None,
        "reviewed": False,
        "review": None,
    }


def session_packet(
    catalog: Catalog,
    track: Track,
    agenda: Agenda,
    report: Report,
    started_at: datetime,
    options: PacketOptions | None = None,
) -> dict[str, Any]:
    """The context of a packet for a recorded session (reviewer or candidate), or
    the scored packet of a reviewed one (refused, as a usage error, for a
    session no reviewer scored)."""
    options = options or PacketOptions()
    if options.kind is PacketKind.scored and not report.reviewed:
        raise UsageProblem(
            f"session {report.id} is a rehearsal, not a reviewed defense: --kind scored "
            "needs a session a reviewer scored with `viva review`; use --kind reviewer "
            "or candidate for a rehearsal"
        )
    start = started_at.astimezone()
    sections = _sections(catalog, track, agenda, start, report, options)
    questions = [q for s in sections for q in s["questions"]]
    candidate = report.candidate
    return {
        **_common(catalog, track, agenda, candidate, sections, options),
        "kind": options.kind,
        "recorded": True,
        "date": f"{start:%Y-%m-%d %H:%M}",
        "session": {
            "id": report.id,
            "status": report.status,
            "active_label": clock_text(report.active_seconds),
            "paused_label": clock_text(report.paused_seconds),
        },
        "clock_is_elapsed": False,
        "start_label": _hhmm(start),
        "flagged": [q for q in questions if q["flagged"]],
        "skipped": [q for q in questions if q["skipped"]],
        "drill_next": _drill_next(sections),
        "reviewed": report.reviewed,
        "review": (
            {
                "verdict": printable(report.verdict),
                "categories": _scoring_sheet(catalog, report, sections),
                "scored": sum(q["score"] is not None for q in questions),
                "questions": len(questions),
            }
            if report.reviewed
            else None
        ),
    }
