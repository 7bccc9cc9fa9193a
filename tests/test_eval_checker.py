"""make eval's measure of the checker's rule on real text (evaluate.checker_pairs), on a real SQLite
store and index of two small articles."""
from __future__ import annotations

from factlint.evaluate import FlaggedPair, checker_pairs, sample
from factlint.models import Document

A1 = "About 5,000 American troops are based in Iraq, officials said."
A2 = "About 8,000 American troops are based in Iraq, officials said."
B = "About 2,500 American troops are based in Iraq, officials said."


def test_sentences_checked_against_their_neighbours_in_other_articles(workspace, settings):
    workspace.add([Document("a", "Troops", f"{A1} {A2}"), Document("b", "Troops again", B)])
    ids, vectors = workspace.store.vectors(workspace.embedder.dim)
    compared, flagged = checker_pairs(workspace, settings, [int(i) for i in ids], vectors)
    pairs = {frozenset((p.claim, p.evidence)): p for p in flagged}
    # each of a's figures against b's, once whichever sentence was read as the claim
    assert {frozenset((A1, B)), frozenset((A2, B))} <= set(pairs) and len(pairs) == len(flagged)
    assert {kind for kind, _, _ in pairs[frozenset((A1, B))].conflicts} == {"number"}
    # never two sentences of one article, though they conflict as much
    assert frozenset((A1, A2)) not in pairs
    assert compared >= len(flagged)


def test_a_pair_has_one_key_in_either_order_and_a_fixed_sample():
    assert FlaggedPair("One.", "Two.", 0.9, ()).key == FlaggedPair("Two.", "One.", 0.8, ()).key
    items = [FlaggedPair(f"S{i}.", "T.", 0.9, ()) for i in range(10)]
    assert sample(items, lambda p: p.key, 3) == sample(list(reversed(items)), lambda p: p.key, 3)
