from decimal import Decimal

import pytest

from planportal.lib.swedish import format_percent, format_sek, parse_number, swedish_sort_key


def test_it_formats_money_and_shares_as_swedish_readers_write_them():
    assert format_sek(1774000) == "1\u00a0774\u00a0000\u00a0kr"
    assert format_sek(Decimal("950.40")) == "950\u00a0kr"
    assert format_percent(12.5) == "12,5\u00a0%"
    assert format_sek(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,5", Decimal("1234.5")),
        ("450\u00a0000 kr", Decimal("450000")),
        ("12,5 %", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("-12", Decimal("-12")),
        (7, Decimal("7")),
        ("", None),
    ],
)
def test_it_reads_numbers_from_swedish_spreadsheets(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["tolv", "1,2,3", "NaN", "inf"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_it_sorts_a_a_o_after_z():
    names = ["Örebro", "Ängelholm", "Åre", "Zinkgruvan", "Arjeplog"]
    assert sorted(names, key=swedish_sort_key) == ["Arjeplog", "Zinkgruvan", "Åre", "Ängelholm", "Örebro"]
