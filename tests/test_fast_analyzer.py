"""The one-pass analyzer gives exactly the tokens of the reference chain of Whoosh filters, in every mode the
index, the query parser and the highlighter use."""

from __future__ import annotations

import random

import pytest

from indexer.analysis import TextAnalyzer
from indexer.analysis import reference_analyzer
from indexer.analysis import text_analyzer

SAMPLES = [
    "The displaced families were returning to Tawergha; detention centres in Sebha, Derna and Misrata.",
    "النازحين في سَبْهَا والمدرسة إغاثة مهاجرون تاورغاء الأطفال درنة ومصراتة اجتماع ســبــهـا االجتماع",
    "It is what it is: the and of to in a an. ـــ ً ٌ (marks only) and don't, O'Neil’s 3.141 U.N. e-mail",
    "في من إلى عن مع أن على علي ولل وبالمدرسة فالأطفال لاجئين اللاجئين الأسر األسر",
    "",
    "   \n\t  ",
    "Mixed العربية and English كلمات with numbers ١٢٣ 456 and ALL CAPS PROTECTION.",
]


def _tokens(analyzer, text, **kwargs):
    out = []
    for t in analyzer(text, **kwargs):
        item = [t.text, getattr(t, "stopped", False)]
        if kwargs.get("positions"):
            item.append(t.pos)
        if kwargs.get("chars"):
            item += [t.startchar, t.endchar]
        if kwargs.get("keeporiginal"):
            item.append(t.original)
        out.append(tuple(item))
    return out


MODES = [
    {},
    {"mode": "query"},
    {"positions": True, "chars": True, "mode": "index"},
    {"positions": True, "chars": True, "mode": "index", "removestops": False},
    {"positions": True, "start_pos": 7, "chars": True, "start_char": 100},
    {"keeporiginal": True, "positions": True},
    {"tokenize": False},
]


@pytest.mark.parametrize("kwargs", MODES, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "plain")
def test_same_tokens_as_the_reference_chain(kwargs):
    fast, reference = text_analyzer(), reference_analyzer()
    rng = random.Random(7)
    words = " ".join(SAMPLES).split()
    texts = SAMPLES + [" ".join(rng.choice(words) for _ in range(300)) for _ in range(5)]
    for text in texts:
        for _ in range(2):  # the second pass is answered from the analyzer's memory
            assert _tokens(fast, text, **kwargs) == _tokens(reference, text, **kwargs), text


def test_the_memory_is_not_pickled_with_the_schema():
    import pickle

    analyzer = TextAnalyzer()
    list(analyzer(SAMPLES[0]))
    assert analyzer._memo
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone._memo == {}
    assert clone == analyzer
    assert _tokens(clone, SAMPLES[1], positions=True) == _tokens(reference_analyzer(), SAMPLES[1], positions=True)
