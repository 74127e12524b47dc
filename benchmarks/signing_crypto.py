"""Time ``sign_pdf`` and ``verify_pdf`` on a one-page letter rendered by WeasyPrint.

Run from the repository root::

    python benchmarks/signing_crypto.py [runs]

Prints mean and p95 in milliseconds.  Budget: batch-signing 100 documents in under
20 s, so one signature must stay well under 200 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import weasyprint  # noqa: E402

from desktop_app.core.signing import (  # noqa: E402
    create_office_ca,
    issue_signer_certificate,
    sign_pdf,
    verify_pdf,
)

LETTER = """
<html><head><style>
  @page { size: A4; margin: 2cm }
  body { font-family: serif; font-size: 12pt }
  .kop { text-align: center; border-bottom: 3px double black }
  .ttd { margin-left: 55%; margin-top: 2em }
</style></head><body>
<div class="kop"><b>PEMERINTAH KOTA PAGAR ALAM</b><br>DINAS TENAGA KERJA<br>
Jl. Contoh No. 1, Pagar Alam</div>
<p style="text-align:right">Pagar Alam, 28 November 2026</p>
<p>Nomor: 500.15.2/001/Disnaker/2026<br>Sifat: Biasa<br>Lampiran: -<br>
Hal: Rekomendasi Pembuatan Paspor</p>
<p>Yth. Kepala Kantor Imigrasi Kelas II Non TPI Pagar Alam</p>
<p>Dengan hormat, bersama ini kami merekomendasikan pembuatan paspor atas nama Siti Aminah,
NIK 1672014101900001, calon pekerja migran Indonesia yang direkrut oleh PT Contoh Jaya
dengan negara tujuan Malaysia sebagai operator produksi.</p>
<p>Demikian rekomendasi ini dibuat untuk dipergunakan sebagaimana mestinya.</p>
<div class="ttd">Kepala Bidang Tenaga Kerja<br><br><br><br>
<b>Budi Santoso, S.H.</b><br>NIP 197801012005011001</div>
</body></html>
"""


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"mean {statistics.fmean(samples):7.1f} ms   p95 {p95:7.1f} ms   (n={len(samples)})"


def main(runs: int = 20) -> None:
    t0 = time.perf_counter()
    ca = create_office_ca("CA Bidang Tenaga Kerja", "Pemerintah Kota Pagar Alam", "ca-pass")
    signer = issue_signer_certificate(
        ca,
        "ca-pass",
        name="Budi Santoso, S.H.",
        nip="197801012005011001",
        position="Kepala Bidang Tenaga Kerja",
        organization="Pemerintah Kota Pagar Alam",
        email=None,
        signer_passphrase="sandi-kabid",
    )
    setup_ms = (time.perf_counter() - t0) * 1000
    pdf = weasyprint.HTML(string=LETTER).write_pdf()

    # warm-up (imports, caches)
    signed = sign_pdf(pdf, signer, "sandi-kabid", reason="Uji", extra_certs=[ca.cert_pem])
    verify_pdf(signed, [ca.cert_pem])

    sign_ms: list[float] = []
    verify_ms: list[float] = []
    for i in range(runs):
        t = time.perf_counter()
        signed = sign_pdf(
            pdf,
            signer,
            "sandi-kabid",
            reason="Penandatanganan surat",
            field_name=f"TTD_{i}",
            visible_box=(330, 60, 550, 130),
            extra_certs=[ca.cert_pem],
        )
        sign_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        result = verify_pdf(signed, [ca.cert_pem])
        verify_ms.append((time.perf_counter() - t) * 1000)
        assert result.status == "asli", result.message

    print(f"PDF one page, {len(pdf)} bytes; signed {len(signed)} bytes")
    print(f"CA + signer certificate issue: {setup_ms:.1f} ms")
    print(f"sign_pdf   : {_stats(sign_ms)}")
    print(f"verify_pdf : {_stats(verify_ms)}")
    projected = statistics.fmean(sign_ms) * 100 / 1000
    print(f"projected batch of 100 signatures (crypto only): {projected:.1f} s (budget 20 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
