"""After a crash, an answer whose transcript was still running is transcribed again."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FakeClock, small_agenda
from tests.speech.conftest import SENTENCES, AudioServer, Speak, answer_aloud, recall
from viva.rehearsal.session import LiveSession
from viva.services.voice import VoiceSession
from viva.store.database import open_store


def test_resume_transcribes_an_answer_whose_transcript_the_crash_cut(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    clock = FakeClock()
    with open_store(viva_home / "viva.db") as store:
        live = LiveSession.start(store, small_agenda(), clock=clock.clock())
        qid, _name = answer_aloud(live, clock, speech(SENTENCES[0]), 6.0)
        # the process died here, before the transcript came back: reopen as resume does
        again = LiveSession.reopen(store, live.id)
        voice = VoiceSession(again)
        lines = voice.recover()
        assert lines == [f"transcribing {qid} again (the crash cut its transcript)"]
        (done,) = voice.close()
        assert done.startswith(f"transcribed {qid}:")
        q = again.rehearsal.find(qid)
        assert q is not None and q.speech is not None
        assert recall(q.speech.text, SENTENCES[0]) >= 0.5, q.speech.text
        assert VoiceSession(LiveSession.reopen(store, live.id)).recover() == []  # once only
