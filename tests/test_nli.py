"""The optional NLI cross-encoder, on a tiny BERT model built here (no download)."""
from __future__ import annotations

import pytest

from factlint.analyzers import nli
from factlint.checker import compare_texts
from factlint.config import CheckSettings, NliSettings


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    d = tmp_path_factory.mktemp("tiny-nli")
    words = "the troops remain in iraq some about 5 000 2 500 us soldiers left . , not".split()
    (d / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words) + "\n")
    tok = BertTokenizerFast(vocab_file=str(d / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=64, num_labels=3,
                     id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
                     label2id={"contradiction": 0, "entailment": 1, "neutral": 2})
    BertForSequenceClassification(cfg).save_pretrained(d)
    tok.save_pretrained(d)
    return str(d)


class FixedEmbedder:
    def encode(self, texts):
        import numpy as np
        return np.ones((len(texts), 4), dtype="float32") / 2.0  # cosine 1.0 between any two


def test_scores_are_probabilities(tiny_model):
    scorer = nli.NliScorer(tiny_model)
    p = scorer.contradiction([("Some 5,000 US troops remain.", "Some 2,500 US troops remain."),
                              ("The troops left.", "The troops remain in Iraq.")])
    assert p.shape == (2,) and all(0.0 < x < 1.0 for x in p)
    assert scorer.contradiction([]).shape == (0,)


def test_probability_joins_the_decision(tiny_model):
    scorer = nli.NliScorer(tiny_model)
    a, b = "The soldiers remain.", "The soldiers left."
    p = float(scorer.contradiction([(a, b)])[0])
    trusting = CheckSettings(min_confidence=0.0)  # the untrained model's probability is its confidence
    rel, _, cs = compare_texts(FixedEmbedder(), trusting, a, b, nli=scorer,
                               nli_settings=NliSettings(model=tiny_model, min_probability=p - 1e-6))
    assert [c.kind for c in cs] == ["nli"] and rel == "contradiction"
    assert cs[0].claim_span == (0, len(a)) and "contradiction probability" in cs[0].detail
    rel, _, cs = compare_texts(FixedEmbedder(), trusting, a, b, nli=scorer,
                               nli_settings=NliSettings(model=tiny_model, min_probability=p + 1e-3))
    assert cs == [] and rel == "consistent"


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(nli.NliUnavailable):
        nli.NliScorer(str(tmp_path / "no-such-model"))
    with pytest.raises(nli.NliUnavailable):
        nli.NliScorer("no-such-org/no-such-model")
