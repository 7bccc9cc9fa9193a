import numpy as np
import pytest

from factlint.embeddings import Embedder, ModelNotFound, resolve_model


def test_packaged_model_loads_offline_and_embeds(embedder):
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    v = embedder.encode(["The resolution was passed unanimously.", "The resolution passed with no votes against.",
                         "A new species of frog was discovered."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3
    assert embedder.encode([]).shape == (0, 384)


def test_model_setting_resolution(tmp_path):
    assert resolve_model("packaged").endswith("model")
    assert resolve_model(str(tmp_path)) == str(tmp_path)
    assert resolve_model("someone/some-model") == "someone/some-model"


def test_unknown_model_fails_clearly_without_network():
    with pytest.raises(ModelNotFound, match="offline"):
        Embedder("no-such-org/no-such-model-xyz")
