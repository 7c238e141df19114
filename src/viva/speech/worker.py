"""``python -m viva.speech.worker ENGINE MODEL FILE...``: one answer's transcript as JSON.

The rehearsal runs this as a child process after each spoken answer, so
transcription uses the other core and never holds the clock or the input
loop. ``MODEL`` is ``-`` for none. Prints SpeechFigures' event data as one
JSON object; a failure is one line on stderr and exit 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from viva.errors import VivaError


def main(argv: list[str]) -> int:
    from viva.speech.audio import read_pcm
    from viva.speech.engines import engine_named, transcribe_samples

    engine, model, *files = argv
    try:
        samples = b"".join(read_pcm(Path(f)).samples for f in files)
        found = engine_named(engine, None if model == "-" else Path(model))
        result = transcribe_samples(found, samples)
    except VivaError as err:
        sys.stderr.write(f"{err}\n")
        return 1
    sys.stdout.write(json.dumps(result.event_data()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
