"""Speech figures from a transcript and voice-activity spans."""

from __future__ import annotations

from viva.speech.figures import SpeechFigures, count_fillers, figures, words_of


def test_words_drop_punctuation_and_pronunciation_marks() -> None:
    assert words_of("The(2) leader, commits; it's done.") == [
        "the",
        "leader",
        "commits",
        "it's",
        "done",
    ]


def test_fillers_are_counted_as_words_and_phrases() -> None:
    text = "so um the leader uh like basically you know commits um"
    assert count_fillers(text) == {
        "um": 2,
        "uh": 1,
        "like": 1,
        "you know": 1,
        "basically": 1,
        "so": 1,
    }


def test_so_counts_only_where_it_opens_a_sentence() -> None:
    assert count_fillers("we batch so that fsync runs once") == {}
    assert count_fillers("So the leader waits. So it retries.") == {"so": 2}
    assert count_fillers("so that is how it works") == {}


def test_fillers_inside_words_do_not_count() -> None:
    assert count_fillers("umbrella likely summary") == {}


def test_figures_measure_rate_and_longest_pause() -> None:
    fig = figures(
        "pocketsphinx", "one two three four five six", 12.0, [(0.5, 3.0), (6.0, 8.0), (8.5, 11.0)]
    )
    assert fig.words == 6
    assert fig.words_per_minute == 30.0
    assert fig.speaking_seconds == 7.0
    assert fig.longest_pause_seconds == 3.0
    assert fig.fillers_per_minute == 0.0


def test_silence_has_no_rate_and_no_pause() -> None:
    fig = figures("pocketsphinx", "", 0.0, [])
    assert (fig.words, fig.words_per_minute, fig.longest_pause_seconds) == (0, 0.0, 0.0)


def test_event_data_round_trips() -> None:
    fig = figures("pocketsphinx", "so um it commits um", 30.0, [(1.0, 2.0), (4.0, 9.5)])
    back = SpeechFigures.from_event_data(fig.event_data())
    assert back.to_json() == fig.to_json()
    assert back.fillers == {"um": 2, "so": 1}
    assert fig.to_json()["fillers"] == {"um": 2, "so": 1}


def test_damaged_event_data_reads_as_empty_figures() -> None:
    back = SpeechFigures.from_event_data({"fillers": "{not json", "words": "x"})
    assert back.fillers == {} and back.words == 0 and back.text == ""


def test_no_speech_heard_means_no_words_and_one_long_pause() -> None:
    from viva.speech.figures import figures

    silent = figures("pocketsphinx", "dog", 10.0, [])  # a decoder's guess in silence
    assert (silent.text, silent.words, silent.speaking_seconds) == ("", 0, 0.0)
    assert silent.longest_pause_seconds == 10.0
    assert silent.words_per_minute == 0.0
