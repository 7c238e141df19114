"""After a crash, an answer whose transcript was still running is transcribed again."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FakeClock, small_agenda
from tests.speech.conftest import SENTENCES, AudioServer, Speak, recall
from viva.rehearsal.session import LiveSession
from viva.services.voice import VoiceSession, audio_folder
from viva.speech.audio import file_sha256, read_pcm, write_flac
from viva.store.database import open_store


def test_resume_transcribes_an_answer_whose_transcript_the_crash_cut(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    clock = FakeClock()
    with open_store(viva_home / "viva.db") as store:
        live = LiveSession.start(store, small_agenda(), clock=clock.clock())
        cur = live.rehearsal.current()
        assert cur is not None
        qid, name = cur[1].planned.id, f"{cur[1].planned.id}-1.flac"
        folder = audio_folder(live.id)
        folder.mkdir(parents=True)
        write_flac(folder / name, read_pcm(speech(SENTENCES[0])).samples)
        live.act("record", question=qid, file=name)
        clock.advance(6)
        live.act("audio", question=qid, file=name, seconds=6.0, sha256=file_sha256(folder / name))
        live.act("answer", text=".")
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
