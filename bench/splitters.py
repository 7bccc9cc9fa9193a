"""How the sentence splitter was chosen: run the candidates over the seed articles and count the
errors a reader would notice (a sentence ending in a title abbreviation such as "Maj." or "Gen.",
or a fragment with no letters such as a stray closing quote), and the time taken.

    .venv/bin/python bench/splitters.py [SEED_DIR]

pysbd is optional (pip install pysbd) and only measured when installed.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factlint.corpus import iter_article_files, read_article  # noqa: E402
from factlint.sentences import split_spans  # noqa: E402

_BAD_END = re.compile(r"\b(?:Maj|Gen|Lt|Col|Mr|Mrs|Dr|Jan|Feb|St|U\.S|J\.S)\.$")


def regex_split(text):
    for para in re.finditer(r"[^\n]+", text):
        yield from re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", para.group())


def syntok_split(text):
    import syntok.segmenter as seg

    for para in re.finditer(r"[^\n]+", text):
        for p in seg.analyze(para.group()):
            for s in p:
                yield "".join(t.spacing + t.value for t in s).strip()


def pysbd_split(text):
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    for para in re.finditer(r"[^\n]+", text):
        yield from (s.strip() for s in seg.segment(para.group()))


def factlint_split(text):
    return (text[s:e] for s, e in split_spans(text))


def main(seed_dir: Path) -> None:
    texts = [read_article(p).text for p in iter_article_files([seed_dir])]
    candidates = [("regex", regex_split), ("syntok", syntok_split), ("pysbd", pysbd_split),
                  ("syntok + repairs (factlint)", factlint_split)]
    print(f"{'splitter':<30} {'sentences':>9} {'errors':>6} {'ms':>6}")
    for name, fn in candidates:
        try:
            t0 = time.perf_counter()
            sents = [s for t in texts for s in fn(t) if s.strip()]
            ms = (time.perf_counter() - t0) * 1000
        except ImportError:
            print(f"{name:<30} (not installed)")
            continue
        errors = [s for s in sents if _BAD_END.search(s) or not re.search(r"[^\W\d_]", s)]
        print(f"{name:<30} {len(sents):>9} {len(errors):>6} {ms:>6.0f}")
        for e in errors:
            print(f"    {e[-70:]!r}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds")
