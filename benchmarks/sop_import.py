"""SOP import and BPMN round trip: wall time per SOP (target < 2 s each) and guesses per SOP.

    python benchmarks/sop_import.py

For each of the six SOPs of the seed: import from the text form (the seed file, choosing the
SOP by number), import from a Word file built from the same rows, and export to BPMN followed
by import of that BPMN. Every import goes through the SOP loader. Times are the best of three
runs after one warm-up (the first call also reads the vocabulary and imports python-docx).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from sop_documents import seed_blocks, seed_bytes, sop_docx  # noqa: E402

from desktop_app.core.bpmn import export_bpmn, import_bpmn  # noqa: E402
from desktop_app.core.sop import load_sops  # noqa: E402
from desktop_app.core.sop_import import import_sop_document  # noqa: E402


def best(fn, runs: int = 3) -> tuple[float, object]:  # noqa: ANN001
    fn()
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    sops = load_sops()
    text = seed_bytes()
    blocks = seed_blocks()
    print(f"{'SOP':<10} {'teks (ms)':>10} {'docx (ms)':>10} {'BPMN ekspor+impor (ms)':>23} "
          f"{'tebakan':>8} {'jalur/jenis sama':>17} {'ejaan':>6}")
    worst = 0.0
    for i, sop in enumerate(sops):
        t_text, result = best(lambda s=sop: import_sop_document(text, "seed.txt",
                                                                number=s.number, fresh=True))
        docx = sop_docx([blocks[i]])
        t_docx, _ = best(lambda d=docx, s=sop: import_sop_document(d, f"{s.code}.docx",
                                                                   fresh=True))
        t_bpmn, back = best(lambda s=sop: import_bpmn(export_bpmn(s).encode(), "x.bpmn",
                                                      running=sops, fresh=True))
        flow = [(s.lane, s.kind, s.activity, s.time, s.branches) for s in sop.steps]
        assert [(s.lane, s.kind, s.activity, s.time, s.branches) for s in back.sop.steps] == flow
        same = sum((a.lane, a.kind) == (b.lane, b.kind)
                   for a, b in zip(result.sop.steps, sop.steps, strict=True))
        worst = max(worst, t_text, t_docx, t_bpmn)
        print(f"{sop.code:<10} {t_text * 1000:>10.1f} {t_docx * 1000:>10.1f} "
              f"{t_bpmn * 1000:>23.1f} {len(result.guesses):>8} "
              f"{f'{same}/{len(sop.steps)}':>17} {len(result.corrections):>6}")
    print(f"slowest: {worst * 1000:.1f} ms (target < 2000 ms)")


if __name__ == "__main__":
    main()
