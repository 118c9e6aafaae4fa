"""Language detection: accuracy on the labelled set and cost per item, beside the sync's.

    .venv/bin/python scripts/bench_language.py [--items 500]

- accuracy (exact ISO 639-1 match) and microseconds per text of each
  candidate detector on tests/data/language/labelled.tsv, every detector
  asked among the same languages (hub.feeds.language.CANDIDATES);
  fasttext-langdetect is reported but not run: it downloads its model on
  first use, which the hub must never do;
- the hub's own rule (hub.feeds.language.choose) on the same set: right when
  it returns the label of a language with a caption catalog, and when it
  falls back (None) on a language without one, as issue 14 asks;
- a cold sync of N items whose feed declares no language (every item
  detected) beside the same sync with `language: en` set (none detected):
  the difference is detection's share of the sync's per-item cost.
Absolute times drift on shared machines: read the ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

LABELLED = ROOT / "tests" / "data" / "language" / "labelled.tsv"


def labelled() -> list[tuple[str, str]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def run(name: str, detect, rows: list[tuple[str, str]]) -> str:
    detect(rows[0][1])  # load the model outside the timing
    start = time.perf_counter()
    found = [detect(text) for _, text in rows]
    took = time.perf_counter() - start
    right = sum(1 for (lang, _), got in zip(rows, found, strict=True) if got == lang)
    wrong = sorted({f"{lang}->{got}" for (lang, _), got in zip(rows, found, strict=True)
                    if got != lang})  # fmt: skip
    return (f"{name:28} accuracy {right}/{len(rows)} = {right / len(rows):.1%}, "
            f"{took / len(rows) * 1e6:8.0f} µs/text; misses: {', '.join(wrong[:12])}")  # fmt: skip


def detectors() -> list[tuple[str, object]]:
    from hub.feeds import language

    out: list[tuple[str, object]] = [("py3langid (the hub's)", lambda t: language.detect(t)[0])]
    if importlib.util.find_spec("lingua"):  # not a dependency: install it to compare
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, c.upper()) for c in language.CANDIDATES]
        lingua = LanguageDetectorBuilder.from_languages(
            *[Language.from_iso_code_639_1(c) for c in codes]
        ).build()

        def lingua_detect(text: str) -> str | None:
            found = lingua.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else None

        out.append(("lingua-language-detector", lingua_detect))
    return out


def time_sync(items: int, forced: bool) -> float:
    import bench_sync

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_sync.make_hub(folder, items)
        if forced:
            text = (folder / "hub.yml").read_text()
            text = text.replace("approval: auto}", "approval: auto, language: en}")
            (folder / "hub.yml").write_text(text)
        return bench_sync.time_sync(folder)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    args = parser.parse_args()
    rows = labelled()
    print(f"labelled set: {len(rows)} texts in {len({lang for lang, _ in rows})} languages")
    for name, detect in detectors():
        print(run(name, detect, rows), flush=True)
    print("fasttext-langdetect          not run: downloads lid.176 at first use, no model in wheel")

    from hub.feeds import language

    known = language.catalogs()
    start = time.perf_counter()
    chosen = [language.choose(text, None, None, False, known) for _, text in rows]
    took = time.perf_counter() - start
    pairs = list(zip((lang for lang, _ in rows), chosen, strict=True))
    captioned = [(lang, got) for lang, got in pairs if lang in known]
    others = [(lang, got) for lang, got in pairs if lang not in known]
    right = sum(1 for lang, got in captioned if got == lang)
    fell_back = sum(1 for _, got in others if got is None)
    wrong = sum(1 for lang, got in pairs if got is not None and got != lang)
    print(f"hub rule (catalogs {sorted(known)}): {right}/{len(captioned)} = "
          f"{right / len(captioned):.1%} right where the label has a catalog; "
          f"{fell_back}/{len(others)} = {fell_back / len(others):.1%} of the rest fall back "
          f"as asked; {wrong} given a wrong language; all told {right + fell_back}/{len(rows)}"
          f" = {(right + fell_back) / len(rows):.1%} as intended, "
          f"{took / len(rows) * 1e6:.0f} µs/item")
    detected = time_sync(args.items, forced=False)
    forced = time_sync(args.items, forced=True)
    print(f"sync of {args.items} items: {detected / args.items * 1e3:.2f} ms/item with detection, "
          f"{forced / args.items * 1e3:.2f} ms/item with `language:` set (baseline); "
          f"detection share {(detected - forced) / args.items * 1e3:.2f} ms/item")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
