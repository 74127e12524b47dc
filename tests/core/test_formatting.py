from datetime import date, datetime
from decimal import Decimal

import pytest

from desktop_app.core.formatting import (
    bulan,
    durasi,
    format_nip,
    hari_tanggal,
    rupiah,
    tanggal,
    tanggal_jam,
    terbilang,
    terbilang_rupiah,
)


def test_dates():
    assert tanggal(date(2026, 11, 28)) == "28 November 2026"
    assert tanggal(datetime(2026, 1, 5, 23, 59)) == "5 Januari 2026"
    assert hari_tanggal(date(2026, 11, 28)) == "Sabtu, 28 November 2026"
    assert hari_tanggal(date(2026, 11, 27)) == "Jumat, 27 November 2026"
    assert hari_tanggal(date(2026, 11, 29)) == "Minggu, 29 November 2026"
    assert tanggal_jam(datetime(2026, 11, 28, 14, 5)) == "28 November 2026 14:05"
    assert tanggal_jam(datetime(2026, 2, 1, 7, 0)) == "1 Februari 2026 07:00"


def test_bulan():
    assert [bulan(n) for n in (1, 2, 3, 5, 8, 12)] == [
        "Januari",
        "Februari",
        "Maret",
        "Mei",
        "Agustus",
        "Desember",
    ]
    for bad in (0, 13):
        with pytest.raises(ValueError):
            bulan(bad)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1234567, "Rp 1.234.567"),
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1000, "Rp 1.000"),
        (-1234, "-Rp 1.234"),
        (Decimal("1234.5"), "Rp 1.235"),
        (Decimal("1234.49"), "Rp 1.234"),
        (Decimal("2.5"), "Rp 3"),  # half-up, not banker's rounding
        (Decimal("-1234.5"), "-Rp 1.235"),
        (2_950_000, "Rp 2.950.000"),
    ],
)
def test_rupiah(amount, text):
    assert rupiah(amount) == text


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (210, "dua ratus sepuluh"),
        (1000, "seribu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (11000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (2_950_000, "dua juta sembilan ratus lima puluh ribu"),
        (
            1_234_567,
            "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh",
        ),
        (1_000_000_000, "satu miliar"),
        (7_500_000_000, "tujuh miliar lima ratus juta"),
        (1_000_000_000_000, "satu triliun"),
        (
            999_999_999_999_999,
            "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh "
            "sembilan miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus "
            "sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
        ),
        (-15, "minus lima belas"),
    ],
)
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_terbilang_limits():
    with pytest.raises(ValueError):
        terbilang(10**15)
    with pytest.raises(TypeError):
        terbilang(1.5)  # type: ignore[arg-type]


def test_terbilang_rupiah():
    assert terbilang_rupiah(2_950_000) == "dua juta sembilan ratus lima puluh ribu rupiah"
    assert terbilang_rupiah(1000, capital=True) == "Seribu rupiah"
    assert terbilang_rupiah(0) == "nol rupiah"
    assert terbilang_rupiah(Decimal("99.5")) == "seratus rupiah"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 menit"),
        (5, "5 menit"),
        (60, "1 jam"),
        (130, "2 jam 10 menit"),
        (480, "1 hari"),
        (3 * 480 + 60, "3 hari 1 jam"),
        (480 + 1, "1 hari 1 menit"),
        (-90, "-1 jam 30 menit"),
    ],
)
def test_durasi(minutes, text):
    assert durasi(minutes) == text


def test_durasi_custom_day_length():
    assert durasi(516 * 2 + 5, minutes_per_day=516) == "2 hari 5 menit"
    with pytest.raises(ValueError):
        durasi(10, minutes_per_day=0)


def test_format_nip():
    assert format_nip("196910161995031001") == "19691016 199503 1 001"
    assert format_nip("19691016 199503 1 001") == "19691016 199503 1 001"
    assert format_nip("12345") == "12345"
    assert format_nip("19691016199503100A") == "19691016199503100A"
    assert format_nip("") == ""
