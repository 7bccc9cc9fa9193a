"""A baseline: findings accepted once, so an old archive of drafts can adopt factlint gradually.

A finding is identified by its fingerprint: a hash of the sentence text (whitespace and case
normalised), the finding kind and the evidence document. Line numbers and file paths are not part
of it, so editing elsewhere in the draft, moving the sentence or renaming the file keeps it
accepted; changing the sentence itself, or the archive contradicting it from another article,
makes it new.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

VERSION = 1


def fingerprint(sentence: str, kind: str, evidence_doc: str) -> str:
    norm = re.sub(r"\s+", " ", sentence).strip().casefold()
    return hashlib.sha256(f"{kind}\x1f{evidence_doc}\x1f{norm}".encode()).hexdigest()[:24]


def load(path: str | Path) -> set[str]:
    """The fingerprints accepted by a baseline file (ValueError when it is not one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (UnicodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"baseline {path} is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list) \
            or not all(isinstance(f, dict) and isinstance(f.get("fingerprint"), str) for f in data["findings"]):
        raise ValueError(f"baseline {path} is not a factlint baseline (no findings list with fingerprints)")
    return {f["fingerprint"] for f in data["findings"]}


def dump(path: str | Path, findings) -> int:
    """Write the findings as a baseline (sorted, one entry per fingerprint: a finding's sentence
    and kind with each of its articles); returns the count."""
    entries: dict[str, dict] = {}
    for f in findings:
        for article in f.evidence:
            fp = fingerprint(f.sentence, f.kind, article.get("doc_id", ""))
            entries.setdefault(fp, {"fingerprint": fp, "kind": f.kind, "path": f.path, "line": f.line,
                                    "sentence": f.sentence, "evidence": article.get("doc_id", "")})
    body = {"version": VERSION, "tool": "factlint",
            "findings": sorted(entries.values(), key=lambda e: (e["path"], e["line"], e["fingerprint"]))}
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(entries)
