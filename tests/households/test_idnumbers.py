from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from households.idnumbers import InvalidIdNumber, check_char, is_valid, make, mask, parse

# A published specimen of GB 11643: 11010519491231002X (Beijing, born 1949-12-31, a woman).
SPECIMEN = "11010519491231002X"


def test_specimen_number_is_read():
    info = parse(SPECIMEN)
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "female"
    assert info.region_code == "110105"


def test_lower_case_x_and_spaces_are_accepted():
    assert parse(" 110105 19491231 002x ").number == SPECIMEN


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11010519491231002", "身份证号码应为18位，现为17位。"),
        ("1101051949123100X2", "身份证号码前17位应为数字，最后一位为数字或X。"),
        ("110105194902300021", "身份证号码中的出生日期 19490230 不是有效日期。"),
        ("110105194912310021", "身份证号码校验位不正确，请核对每一位数字。"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, message):
    with pytest.raises(InvalidIdNumber) as excinfo:
        parse(raw)
    assert str(excinfo.value) == message


def test_mask_shows_first_six_and_last_four():
    assert mask(SPECIMEN) == "110105********002X"


regions = st.sampled_from(["420281", "110105", "420202", "310101"])
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 29))
sequences = st.integers(min_value=0, max_value=999)


@given(regions, births, sequences)
def test_every_generated_valid_number_passes(region, birth, sequence):
    number = make(region, birth, sequence)
    info = parse(number)
    assert info.birth_date == birth
    assert info.sex == ("male" if sequence % 2 else "female")


@given(
    regions, births, sequences, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10)
)
def test_every_single_character_change_fails(region, birth, sequence, position, shift):
    number = make(region, birth, sequence)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    changed_char = alphabet[(alphabet.index(number[position]) + shift) % len(alphabet)]
    if changed_char == number[position]:
        return
    changed = number[:position] + changed_char + number[position + 1 :]
    assert not is_valid(changed)


def test_check_char_cycles_through_all_eleven_values():
    seen = {check_char(f"42028119800101{n:03d}") for n in range(1000)}
    assert seen == set("0123456789X")
