from factlint.models import Document
from factlint.sentences import split_sentences, split_spans


def _texts(text):
    return [text[s:e] for s, e in split_spans(text)]


def test_abbreviations_do_not_split():
    text = ("On Sunday, the adviser, Maj. Gen. Hossein Dehghan, told CNN that Tehran will retaliate "
            "against the U.S. military targets. Members met on Jan. 5, 2020. Analyst Nicolas J.S. Davies said so.")
    assert _texts(text) == [
        "On Sunday, the adviser, Maj. Gen. Hossein Dehghan, told CNN that Tehran will retaliate against the U.S. military targets.",
        "Members met on Jan. 5, 2020.",
        "Analyst Nicolas J.S. Davies said so.",
    ]


def test_quotes_stay_with_their_sentence():
    text = ("“You should implement what has been agreed. We do not accept cheating, ”he added. "
            "“It was America that started the war,” he said.")
    got = _texts(text)
    assert all(any(c.isalpha() for c in s) for s in got)  # no stray quote fragments
    assert got[-1] == "“It was America that started the war,” he said."


def test_offsets_point_into_the_document_and_short_lines_are_dropped():
    doc = Document("d", "t", "Jack Phillips\nThe parliament voted to expel US troops. It passed unanimously today.")
    sents = split_sentences(doc)
    assert [s.text for s in sents] == ["The parliament voted to expel US troops.", "It passed unanimously today."]
    for s in sents:
        assert doc.text[s.start:s.end] == s.text
    assert [s.index for s in sents] == [0, 1]


def test_line_breaks_end_sentences():
    assert len(_texts("A heading without a stop\nThe body sentence follows here.")) == 2
