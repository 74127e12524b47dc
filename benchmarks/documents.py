"""Benchmark of letter rendering (Jinja2 + WeasyPrint).

Run from the repository root:  python benchmarks/documents.py [--runs 20] [--batch 100]

Prints the cold first render, the warm render time of one letter (mean and p95; target
< 300 ms), a batch of letters (target < 30 s for 100) and WeasyPrint rendering a one-line
page with the same fonts, with the ratio letter / one-line page (the part of the time that
is the letter itself rather than WeasyPrint's fixed cost).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LETTER = "surat_klaim_jht"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--document", default=LETTER)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from desktop_app.core.documents import renderer
    from desktop_app.core.documents.catalog import render_document
    from desktop_app.core.documents.samples import sample_context

    context = sample_context(args.document)
    first = render_document(args.document, context)
    cold = time.perf_counter() - start

    letter = _time(lambda: render_document(args.document, context), args.runs)
    mean = statistics.mean(letter)

    from desktop_app.core.documents.card import render_card_pdf, sample_card_context

    card_ctx = sample_card_context()
    render_card_pdf(card_ctx)
    card = _time(lambda: render_card_pdf(card_ctx), args.runs)

    contexts = []
    for i in range(args.batch):
        ctx = sample_context(args.document)
        ctx["document"]["nomor"] = f"500.15.2/{i + 1:04d}/TK/2026"
        contexts.append(ctx)
    start = time.perf_counter()
    total_bytes = sum(len(render_document(args.document, ctx)) for ctx in contexts)
    batch = time.perf_counter() - start

    one_line_html = (
        '<!DOCTYPE html><html lang="id"><body><p>Satu baris teks.</p></body></html>'
    )
    renderer.html_to_pdf(one_line_html)
    one_line = _time(lambda: renderer.html_to_pdf(one_line_html), args.runs)
    one_mean = statistics.mean(one_line)

    ms = 1000
    print(f"Dokumen uji              : {args.document} ({len(first) / 1024:.0f} KiB)")
    print(f"Render pertama (dingin)  : {cold * ms:7.1f} ms (impor + font + templat)")
    print(f"Satu surat, hangat       : rata-rata {mean * ms:6.1f} ms, "
          f"p95 {_p95(letter) * ms:6.1f} ms ({args.runs} kali; target < 300 ms) "
          f"{'OK' if mean < 0.3 else 'LAMBAT'}")
    print(f"Kartu AK/I, hangat       : rata-rata {statistics.mean(card) * ms:6.1f} ms, "
          f"p95 {_p95(card) * ms:6.1f} ms ({args.runs} kali; target < 300 ms) "
          f"{'OK' if statistics.mean(card) < 0.3 else 'LAMBAT'}")
    print(f"{args.batch} surat berturut-turut : {batch:6.2f} s "
          f"({batch / args.batch * ms:.1f} ms/surat, {total_bytes / 1e6:.1f} MB; "
          f"target < 30 s) {'OK' if batch < 30 else 'LAMBAT'}")
    print(f"Halaman satu baris       : rata-rata {one_mean * ms:6.1f} ms, "
          f"p95 {_p95(one_line) * ms:6.1f} ms")
    print(f"Rasio surat / satu baris : {mean / one_mean:5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
