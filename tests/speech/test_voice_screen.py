"""The screen records answers aloud: a level meter while recording, ctrl+l to turn it off."""

from __future__ import annotations

from pathlib import Path

from tests.speech.conftest import SENTENCES, AudioServer, Speak
from tests.tui.test_rehearsal_screen import SIZE, agenda_for, shown
from viva.catalog.loader import load_catalog
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.session import LiveSession
from viva.store.database import open_store
from viva.tui.screens.rehearsal import build_app


async def test_the_screen_records_meters_and_transcribes_an_answer(
    audio_server: AudioServer, speech: Speak, tmp_path: Path, viva_home: Path
) -> None:
    from viva.services.voice import VoiceSession

    track = load_catalog().tracks["go/raft-kv"]
    store = open_store(tmp_path / "v.db")
    live = LiveSession.start(store, Agenda.from_json(agenda_for(track)))
    voice = VoiceSession(live)
    app = build_app(live, track, voice)
    async with app.run_test(size=SIZE) as pilot:
        player = audio_server.play(speech(SENTENCES[1]))
        await pilot.pause(1.5)
        assert voice.recording
        assert "● rec" in shown(app.query_one("#status"))
        while player.poll() is None:
            await pilot.pause(0.2)
        await pilot.press("ctrl+n")  # the answer: the recording closes before it
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert voice.recording  # the next question is being recorded
        await pilot.press("ctrl+l")
        assert not voice.recording
        assert app.status_text == "voice off: answers are typed"
        await pilot.press("ctrl+q")
    app.save_on_exit()
    kinds = [e.kind for e in store.events(live.id)]
    assert kinds.index("record") < kinds.index("audio") < kinds.index("answer")
    transcript = [e for e in store.events(live.id) if e.kind == "transcript"]
    assert transcript and transcript[0].data["question"] == "ready-loop-contract"
    assert int(transcript[0].data["words"]) > 3
    files = sorted(p.name for p in (viva_home / "audio" / live.id).iterdir())
    assert files == ["raft-storage-implementation-1.flac", "ready-loop-contract-1.flac"]
    store.close()
