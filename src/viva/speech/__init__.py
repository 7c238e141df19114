"""Spoken answers: recording, voice activity, offline transcription and speech figures.

The data flow is one way: :mod:`recorder` writes an answer to a FLAC file as it
is spoken, :mod:`audio` reads any WAV or FLAC file back (a recording cut short
by a crash included) as 16 kHz mono samples, :mod:`vad` finds where the
speaker spoke, :mod:`engines` turns the samples into words, and
:mod:`figures` measures how it was said. Only :mod:`figures` is imported by
the rehearsal engine; the rest load NumPy, soundfile, PortAudio or
pocketsphinx when they run.
"""
