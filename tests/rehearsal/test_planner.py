"""The planner: budgets, fill, eligibility, seeds and the history preference."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

import pytest

from tests.conftest import Runner
from viva.catalog.loader import Catalog, Track, load_catalog
from viva.errors import UsageProblem
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.planner import (
    OVERRUN_PERCENT,
    QuestionHistory,
    draw_agenda,
    eligible_questions,
    question_weight,
)

CATALOG = load_catalog()
TRACK_IDS = sorted(CATALOG.tracks)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return CATALOG


def _fits_somewhere(agenda: Agenda, track: Track) -> list[str]:
    """Unused bank questions that a section could still take within its cap."""
    used = {q.id for q in agenda.questions}
    return [
        q.id
        for q in eligible_questions(track, agenda.scopes)
        if q.id not in used
        for s in agenda.sections
        if q.category in s.categories
        and (s.planned_minutes + q.minutes) * 60 * 100 <= s.budget_seconds * (100 + OVERRUN_PERCENT)
    ]


@pytest.mark.parametrize("minutes", [45, 60])
@pytest.mark.parametrize("track_id", TRACK_IDS)
def test_agenda_respects_the_budget_rules(catalog: Catalog, track_id: str, minutes: int) -> None:
    track = catalog.tracks[track_id]
    fmt_sections = catalog.format_for(track.path.id).variant(minutes).sections
    musts = {q.id for q in eligible_questions(track, ()) if q.must}
    for seed in range(1, 21):
        agenda = draw_agenda(catalog, track, minutes=minutes, seed=seed)
        assert agenda.track == track_id and agenda.minutes == minutes and agenda.seed == seed
        assert [s.id for s in agenda.sections] == [s.id for s in fmt_sections]
        assert sum(s.budget_seconds for s in agenda.sections) == minutes * 60
        assert not agenda.weighted and agenda.scopes == ()

        planned = agenda.planned_minutes
        assert planned <= minutes
        if planned * 2 < minutes:  # a small bank: only acceptable if nothing else fits
            assert _fits_somewhere(agenda, track) == []

        ids = [q.id for q in agenda.questions]
        assert len(ids) == len(set(ids)), "a question appears twice"
        assert musts <= set(ids), f"seed {seed}: must questions missing: {musts - set(ids)}"
        assert 15 <= len(ids) <= (25 if minutes == 45 else 30), len(ids)
        bank = {q.id: q for q in track.questions}
        for section, spec in zip(agenda.sections, fmt_sections, strict=True):
            assert section.planned_minutes * 60 * 100 <= section.budget_seconds * (
                100 + OVERRUN_PERCENT
            ), f"{section.id} over budget"
            first, *rest = section.questions
            assert first.id == f"opening-{section.id}" and first.opening
            assert first.prompt == spec.opening and first.kind == "review"
            assert 1 <= first.minutes <= spec.opening_minutes
            if section.budget_seconds >= 4 * 60:
                assert rest, f"seed {seed}: {section.id} asks no bank question"
            for q in rest:
                assert not q.opening
                assert q.id in bank and not bank[q.id].scopes
                assert q.must == bank[q.id].must
                assert q.category in spec.categories or q.must, f"{q.id} in {section.id}"
        if minutes == 60:
            named = {c for s in fmt_sections for c in s.categories}
            answerable = {q.category for q in eligible_questions(track, ())}
            asked = {q.category for q in agenda.questions if not q.opening}
            assert named & answerable <= asked, f"seed {seed}: never asked {named - asked}"


def test_banks_of_the_catalog_fill_at_least_half(catalog: Catalog) -> None:
    # Every track with a bank of a realistic size reaches the 50 % floor.
    for track in catalog.tracks.values():
        if len(track.questions) < 20:
            continue
        for minutes in (45, 60):
            for seed in range(20):
                agenda = draw_agenda(catalog, track, minutes=minutes, seed=seed)
                assert agenda.planned_minutes * 2 >= minutes, (track.id, minutes, seed)


def test_preferred_kinds_come_first(catalog: Catalog) -> None:
    track = catalog.tracks["go/raft-kv"]
    sections = {s.id: s for s in catalog.format_for("go").variant(60).sections}
    for seed in range(20):
        agenda = draw_agenda(catalog, track, minutes=60, seed=seed)
        deep = next(s for s in agenda.sections if s.id == "deep-dive")
        kinds = [q.kind for q in deep.questions[1:]]
        assert kinds and kinds[0] in sections["deep-dive"].kinds


def test_json_has_the_plan_shape_and_reads_back_the_same(catalog: Catalog) -> None:
    agenda = draw_agenda(catalog, "go/raft-kv", seed=3)
    data = agenda.to_json()
    assert set(data) == {
        "track",
        "minutes",
        "seed",
        "scopes",
        "offers_scopes",
        "weighted",
        "sections",
    }
    assert data["minutes"] == 45  # the Go path defends in 45 minutes
    for section in data["sections"]:
        # DESIGN.md's keys, and the categories the section reviews
        assert set(section) == {"id", "title", "budget_seconds", "categories", "questions"}
        for q in section["questions"]:
            assert set(q) == {
                "id",
                "category",
                "kind",
                "prompt",
                "minutes",
                "opening",
                "must",
                "scopes",
                "follow_ups",
                "verified",
            }
        assert [q["opening"] for q in section["questions"]][:1] == [True]
    assert Agenda.from_json(json.loads(json.dumps(data))) == agenda


def test_an_agenda_stored_before_the_flags_reads_back_with_them(catalog: Catalog) -> None:
    agenda = draw_agenda(catalog, "go/raft-kv", seed=3)
    old = agenda.to_json()
    for section in old["sections"]:
        del section["categories"]
        for q in section["questions"]:
            del q["opening"]
    for key in ("weighted", "scopes", "offers_scopes"):
        del old[key]
    back = Agenda.from_json(old)
    assert [q.opening for q in back.questions] == [q.opening for q in agenda.questions]
    # drawn by the planner that always used history: no seed repeats it
    assert back.weighted and not back.repeatable
    for before, after in zip(agenda.sections, back.sections, strict=True):
        assert set(after.categories) <= set(before.categories)


def test_a_malformed_agenda_names_the_field(catalog: Catalog) -> None:
    data = draw_agenda(catalog, "go/raft-kv", seed=3).to_json()
    data["sections"][1]["questions"][0]["minutes"] = "five"
    with pytest.raises(ValueError, match="minutes"):
        Agenda.from_json(data)


def test_same_seed_same_agenda_other_seed_other_draw(catalog: Catalog) -> None:
    def plan(seed: int) -> str:
        return json.dumps(draw_agenda(catalog, "go/raft-kv", seed=seed).to_json()["sections"])

    assert plan(42) == plan(42)
    draws = {plan(seed) for seed in range(50)}
    # must questions are in every draw, so draws differ in the rest: most still do
    assert len(draws) > 25, "most seeds should give a different draw"


def test_default_seed_is_fresh_and_repeatable(catalog: Catalog) -> None:
    first = draw_agenda(catalog, "go/raft-kv")
    seeds = {draw_agenda(catalog, "go/raft-kv").seed for _ in range(5)} | {first.seed}
    assert len(seeds) > 1
    assert 0 <= first.seed < 2**31
    assert draw_agenda(catalog, "go/raft-kv", seed=first.seed) == first


@pytest.mark.parametrize("minutes", [0, 30, 50, 90])
def test_only_45_or_60_minutes(catalog: Catalog, minutes: int) -> None:
    with pytest.raises(UsageProblem, match=f"45 or 60 minutes, not {minutes}"):
        draw_agenda(catalog, "go/raft-kv", minutes=minutes, seed=1)


def test_empty_bank_still_gives_the_openings(catalog: Catalog) -> None:
    from dataclasses import replace

    empty = replace(catalog.tracks["go/raft-kv"], questions=())
    agenda = draw_agenda(catalog, empty, minutes=60, seed=1)
    assert all(len(s.questions) == 1 and s.questions[0].opening for s in agenda.sections)


# --- history preference ----------------------------------------------------

SEEDS = range(300)


def _draw_rates(
    catalog: Catalog, track: Track, history: dict[str, QuestionHistory], groups: dict[str, str]
) -> dict[str, float]:
    """Per group, the share of its questions drawn, averaged over SEEDS."""
    drawn: Counter[str] = Counter()
    for seed in SEEDS:
        agenda = draw_agenda(catalog, track, minutes=60, seed=seed, history=history)
        drawn.update(groups[q.id] for q in agenda.questions if q.id in groups)
    sizes = Counter(groups.values())
    return {g: drawn[g] / (sizes[g] * len(SEEDS)) for g in sizes}


def _split(track: Track) -> dict[str, str]:
    """Alternate the drawn-at-random questions of each category between groups a
    and b (must questions are always asked, so they are in neither)."""
    seen: Counter[str] = Counter()
    groups = {}
    for q in eligible_questions(track, ()):
        if q.must:
            continue
        groups[q.id] = "ab"[seen[q.category] % 2]
        seen[q.category] += 1
    return groups


def _history(
    groups: dict[str, str], a: QuestionHistory | None, b: QuestionHistory | None
) -> dict[str, QuestionHistory]:
    chosen = {"a": a, "b": b}
    return {qid: h for qid, g in groups.items() if (h := chosen[g]) is not None}


@pytest.fixture(scope="module")
def raft() -> Track:
    return CATALOG.tracks["java/raft-kv"]


def test_history_prefers_questions_not_asked_recently(catalog: Catalog, raft: Track) -> None:
    groups = _split(raft)
    easy_recent = QuestionHistory(times_asked_recently=1, last_rating=4)
    rates = _draw_rates(catalog, raft, _history(groups, None, easy_recent), groups)
    assert rates["a"] > 1.5 * rates["b"], rates


def test_history_prefers_questions_rated_again_or_hard(catalog: Catalog, raft: Track) -> None:
    groups = _split(raft)
    for poor in (1, 2):
        history = _history(
            groups,
            QuestionHistory(times_asked_recently=1, last_rating=poor),
            QuestionHistory(times_asked_recently=1, last_rating=3),
        )
        rates = _draw_rates(catalog, raft, history, groups)
        assert rates["a"] > 1.25 * rates["b"], (poor, rates)


def test_question_weight_order() -> None:
    def w(times: int, rating: int | None = None) -> float:
        return question_weight(QuestionHistory(times, rating))

    assert question_weight(None) == w(0) > w(1, 3) > w(1, 4) > w(3, 4) > 0
    assert w(1, 1) > w(1, 2) > w(1, 3)
    assert w(0, 1) > w(0)


@pytest.mark.parametrize(("times", "rating"), [(-1, None), (0, 0), (1, 5)])
def test_question_history_is_validated(times: int, rating: int | None) -> None:
    with pytest.raises(ValueError):
        QuestionHistory(times, rating)


# --- command line -------------------------------------------------------------


def _question_ids(sections: Iterable[dict[str, object]]) -> list[object]:
    return [q["id"] for s in sections for q in s["questions"]]  # type: ignore[attr-defined]


def test_cli_json_matches_the_planner(run: Runner, catalog: Catalog) -> None:
    result = run("plan", "go/raft-kv", "--seed", "7", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data == draw_agenda(catalog, "go/raft-kv", seed=7).to_json()
    assert data["seed"] == 7 and data["minutes"] == 45
    assert run("plan", "raft-kv", "--seed", "7", "--json").code == 2  # ambiguous
    again = json.loads(run("plan", "go/raft", "--seed", "7", "--json").out)
    assert _question_ids(again["sections"]) == _question_ids(data["sections"])
    sixty = json.loads(run("plan", "go/raft-kv", "--minutes", "60", "--seed", "7", "--json").out)
    assert sum(s["budget_seconds"] for s in sixty["sections"]) == 3600


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "piped"])
def test_cli_prints_a_readable_agenda(
    run: Runner, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("NO_COLOR", "1")
    result = run("plan", "go/raft-kv", "--seed", "7")
    assert result.code == 0, result.err
    agenda = draw_agenda(catalog, "go/raft-kv", seed=7)
    first = agenda.sections[0].budget_seconds // 60
    assert f"00:00–{first:02d}:00" in result.out
    assert "Architecture walkthrough" in result.out
    assert f"budget {first} min" in result.out
    assert "seed: 7 — repeat with viva plan go/raft-kv --minutes 45 --seed 7" in result.out
    assert "scopes: none named" in result.out
    assert result.out.count("· must") == sum(q.must for q in agenda.questions) > 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.out)
    if terminal:  # fits the window (COLUMNS=100), a long prompt cut short
        assert all(len(line) <= 100 for line in text.splitlines())
    else:  # piped: every prompt whole, for scripts
        assert all(" ".join(q.prompt.split()) in text for q in agenda.questions)
    # one line per question, each with its minutes, category and kind
    rows = [line for line in text.splitlines() if re.match(r"\s*\d+ min  ", line)]
    assert len(rows) == len(agenda.questions)
    assert any("defensible · must" in r for r in rows)


def test_cli_prints_the_fresh_seed(run: Runner) -> None:
    result = run("plan", "go/raft-kv", "--json")
    seed = json.loads(result.out)["seed"]
    again = run("plan", "go/raft-kv", "--seed", str(seed), "--json")
    assert again.out == result.out


def test_cli_rejects_other_lengths(run: Runner) -> None:
    result = run("plan", "go/raft-kv", "--minutes", "50")
    assert result.code == 2
    assert "--minutes" in result.err
    assert "a defense lasts 45 or 60 minutes, not 50" in result.err
    assert "Traceback" not in result.err


def test_cli_help_states_the_rules(run: Runner) -> None:
    out = " ".join(run("plan", "--help").out.split())
    assert "must questions" in out and "4 minutes or more" in out
    assert "same agenda, whatever your history" in out and "--scope" in out
    assert "not asked recently" in out and "rated again or hard" in out


def test_a_scope_neutral_draw_of_a_track_with_scopes_repeats_with_scope_none(
    run: Runner, catalog: Catalog
) -> None:
    neutral = draw_agenda(catalog, "container-internals/runtime-fork", seed=7)
    assert neutral.repeat_args() == "--minutes 45 --seed 7 --scope none"
    raft = draw_agenda(catalog, "go/raft-kv", seed=7)
    assert raft.repeat_args() == "--minutes 45 --seed 7"
    # a remembered scope does not change what the printed line draws
    assert run("plan", "runtime-fork", "--scope", "runc-cap", "--json").code == 0
    again = json.loads(run("plan", "runtime-fork", *neutral.repeat_args().split(), "--json").out)
    assert again == neutral.to_json()


@pytest.mark.parametrize("seed", ["-1", str(2**63), "99999999999999999999999"])
def test_a_seed_outside_0_to_2_63_is_a_usage_error(run: Runner, seed: str) -> None:
    for command in (("plan", "go/raft-kv"), ("rehearse", "go/raft-kv", "--plain")):
        result = run(*command, "--seed", seed)
        assert result.code == 2, result.err
        assert "--seed" in result.err and "Traceback" not in result.err
