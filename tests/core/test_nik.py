from datetime import date, datetime

import pytest

from desktop_app.core.nik import (
    KECAMATAN_PAGAR_ALAM,
    NikError,
    check_nik_matches,
    kecamatan_name,
    parse_nik,
)

TODAY = date(2026, 11, 28)


def test_parse_man_from_pagar_alam_utara():
    info = parse_nik("1672011708900001", today=TODAY)
    assert info.nik == "1672011708900001"
    assert (info.province, info.city, info.district) == ("16", "72", "01")
    assert info.birth_date == date(1990, 8, 17)
    assert info.sex == "L"
    assert info.serial == "0001"
    assert info.region_code == "16.72.01"
    assert info.is_pagar_alam
    assert kecamatan_name(info) == "Pagar Alam Utara"


def test_woman_day_plus_forty():
    info = parse_nik("1672055708950123", today=TODAY)
    assert info.sex == "P"
    assert info.birth_date == date(1995, 8, 17)
    assert kecamatan_name(info) == "Dempo Tengah"


def test_woman_born_on_first_of_month():
    info = parse_nik("1672034101000002", today=TODAY)
    assert info.sex == "P"
    assert info.birth_date == date(2000, 1, 1)


def test_spaces_and_dots_are_ignored():
    assert parse_nik(" 16.72.01 170890 0001 ", today=TODAY).nik == "1672011708900001"


def test_other_region_is_valid_but_not_pagar_alam():
    info = parse_nik("3171011708900001", today=TODAY)  # Jakarta
    assert not info.is_pagar_alam
    assert kecamatan_name(info) is None
    # BPS code 1673 must not be mistaken for Pagar Alam
    assert not parse_nik("1673011708900001", today=TODAY).is_pagar_alam


def test_century_chosen_so_birth_is_not_in_future():
    assert parse_nik("1672011708250001", today=TODAY).birth_date == date(2025, 8, 17)
    assert parse_nik("1672011712260001", today=TODAY).birth_date == date(1926, 12, 17)
    assert parse_nik("1672012811260001", today=TODAY).birth_date == date(2026, 11, 28)
    assert parse_nik("1672011708300001", today=TODAY).birth_date == date(1930, 8, 17)


def test_feb_29_leap_years():
    assert parse_nik("1672012902000001", today=TODAY).birth_date == date(2000, 2, 29)
    assert parse_nik("1672016902960001", today=TODAY).birth_date == date(1996, 2, 29)
    with pytest.raises(NikError, match="Tanggal lahir"):
        parse_nik("1672012902970001", today=TODAY)
    # 29-02-00 before 29 Feb 2000 could only be 1900, which is not a leap year
    with pytest.raises(NikError, match="Tanggal lahir"):
        parse_nik("1672012902000001", today=date(2000, 1, 1))


@pytest.mark.parametrize(
    "nik",
    [
        "167201170890000",  # 15 digits
        "16720117089000011",  # 17 digits
        "16720117089O0001",  # letter O
        "1672-0117089-00001",
        "",
        "١٦٧٢٠١١٧٠٨٩٠٠٠٠١",  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_wrong_length_or_characters(nik):
    with pytest.raises(NikError, match="NIK harus 16 digit angka"):
        parse_nik(nik, today=TODAY)


@pytest.mark.parametrize(
    "nik",
    [
        "1672010008900001",  # day 0
        "1672013208900001",  # day 32
        "1672014008900001",  # day 40 (woman day 0)
        "1672017208900001",  # day 72 (woman day 32)
        "1672011713900001",  # month 13
        "1672011700900001",  # month 0
        "1672013104900001",  # 31 April
    ],
)
def test_invalid_birth_date(nik):
    with pytest.raises(NikError, match="Tanggal lahir dalam NIK tidak valid"):
        parse_nik(nik, today=TODAY)


def test_serial_0000_rejected():
    with pytest.raises(NikError, match="Nomor urut NIK tidak boleh 0000"):
        parse_nik("1672011708900000", today=TODAY)


def test_zero_region_rejected():
    with pytest.raises(NikError):
        parse_nik("0072011708900001", today=TODAY)


def test_nik_error_is_value_error():
    assert issubclass(NikError, ValueError)


def test_check_matches_consistent():
    assert check_nik_matches("1672055708950123", date(1995, 8, 17), "P") == {}
    assert check_nik_matches("1672055708950123", datetime(1995, 8, 17, 0, 0), "Perempuan") == {}
    assert check_nik_matches("1672011708900001", None, None) == {}


def test_check_matches_disagreements():
    problems = check_nik_matches("1672055708950123", date(1995, 8, 18), "L")
    assert set(problems) == {"tanggal_lahir", "jenis_kelamin"}
    assert "17-08-95" in problems["tanggal_lahir"]
    assert "perempuan" in problems["jenis_kelamin"]


def test_check_matches_man_entered_as_woman():
    problems = check_nik_matches("1672011708900001", date(1990, 8, 17), "p")
    assert list(problems) == ["jenis_kelamin"]


def test_check_matches_invalid_nik():
    assert "nik" in check_nik_matches("123", date(1990, 1, 1), "L")


def test_kecamatan_table():
    assert KECAMATAN_PAGAR_ALAM == {
        "16.72.01": "Pagar Alam Utara",
        "16.72.02": "Pagar Alam Selatan",
        "16.72.03": "Dempo Utara",
        "16.72.04": "Dempo Selatan",
        "16.72.05": "Dempo Tengah",
    }
    assert kecamatan_name(parse_nik("1672061708900001", today=TODAY)) is None
