from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.core.contributions import (
    compute_by_wages,
    compute_jakon_contribution,
    load_jakon_table,
)
from desktop_app.resources import resource_path


@pytest.mark.parametrize(
    ("value", "jkk", "jkm", "total"),
    [
        (50_000_000, 105_000, 15_000, 120_000),
        (100_000_000, 210_000, 30_000, 240_000),
        (350_000_000, 635_000, 80_000, 715_000),
        (2_000_000_000, 2_640_000, 310_000, 2_950_000),
        (7_500_000_000, 8_190_000, 860_000, 9_050_000),
        (0, 0, 0, 0),
    ],
)
def test_known_values(value, jkk, jkm, total):
    result = compute_jakon_contribution(value)
    assert (result.jkk, result.jkm, result.total) == (jkk, jkm, total)
    assert result.jkk + result.jkm == result.total
    assert result.contract_value == value
    assert sum(line.base for line in result.lines) == value


def test_lines_are_marginal():
    result = compute_jakon_contribution(2_000_000_000)
    assert [(line.lower, line.upper, line.base) for line in result.lines] == [
        (0, 100_000_000, 100_000_000),
        (100_000_000, 500_000_000, 400_000_000),
        (500_000_000, 1_000_000_000, 500_000_000),
        (1_000_000_000, 5_000_000_000, 1_000_000_000),
    ]
    assert result.lines[1].jkk_rate == Decimal("0.0017")
    assert result.lines[1].jkk == Decimal("680000")
    assert result.lines[1].jkm == Decimal("80000")


def test_top_bracket_is_open():
    result = compute_jakon_contribution(7_500_000_000)
    assert result.lines[-1].upper is None
    assert result.lines[-1].base == 2_500_000_000
    assert result.lines[-1].jkk_rate + result.lines[-1].jkm_rate == Decimal("0.0010")


def test_rounding_half_up_at_the_end():
    # 1 rupiah * 0.21% = 0.0021 -> 0; 250 * 0.21% = 0.525 -> 1; 250 * 0.03% = 0.075 -> 0
    assert compute_jakon_contribution(1).total == 0
    result = compute_jakon_contribution(250)
    assert (result.jkk, result.jkm, result.total) == (1, 0, 1)


def test_negative_rejected():
    with pytest.raises(ValueError):
        compute_jakon_contribution(-1)
    with pytest.raises(ValueError):
        compute_by_wages(-1)


def test_by_wages():
    assert compute_by_wages(10_000_000) == (174_000, 30_000, 204_000)
    assert compute_by_wages(0) == (0, 0, 0)
    jkk, jkm, total = compute_by_wages(3_456_789)
    assert (jkk, jkm) == (60_148, 10_370)  # 60148.1286 and 10370.367
    assert total == jkk + jkm


def test_bundled_table_has_legal_basis():
    table = load_jakon_table()
    assert "Nomor 5 Tahun 2021" in table.legal_basis
    assert table.effective_date is not None
    assert resource_path("data", "iuran_jakon.toml").is_file()


def test_custom_table_from_path(tmp_path: Path):
    path = tmp_path / "tarif.toml"
    path.write_text(
        """
[meta]
legal_basis = "uji"
effective_date = 2030-01-01

[[contract_value.brackets]]
upper = 1000
jkk_percent = 1.0
jkm_percent = 0.5

[[contract_value.brackets]]
jkk_percent = 0.1
jkm_percent = 0.1

[wages]
jkk_percent = 2
jkm_percent = 1
""",
        encoding="utf-8",
    )
    table = load_jakon_table(path)
    result = compute_jakon_contribution(11_000, table)
    assert (result.jkk, result.jkm, result.total) == (20, 15, 35)
    assert compute_by_wages(1000, table) == (20, 10, 30)


def test_malformed_table_names_the_problem(tmp_path: Path):
    path = tmp_path / "rusak.toml"
    path.write_text(
        """
[[contract_value.brackets]]
jkk_percent = 0.1
jkm_percent = 0.1

[[contract_value.brackets]]
upper = 1000
jkk_percent = 0.1
jkm_percent = 0.1

[wages]
jkk_percent = 1
jkm_percent = 1
""",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"brackets\[1\]"):
        load_jakon_table(path)
