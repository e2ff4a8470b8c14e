"""Slot extraction for all seven slot types, offline and against a fixed ``today``."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.flow.model import Slot
from pytest_persona.flow.slots import (
    MAX_TEXT,
    build_extractor,
    extract_date,
    extract_email,
    extract_number,
    extract_phone,
    extract_text,
    words_to_number,
)

TODAY = dt.date(2025, 1, 15)  # a Wednesday


def pattern(regex: str) -> Slot:
    return Slot("s", "pattern", True, pattern=regex)


SIZES = Slot(
    "size",
    "choice",
    True,
    values={"large": ("big", "xl"), "extra large": ("xxl",), "small": ("tiny",), "tea": ()},
)


@pytest.mark.parametrize(
    ("regex", "text", "expected"),
    [
        (r"\b(?:ORD-?)?(\d{5})\b", "track ORD-48213 and 55120", "48213"),  # first match, group 1
        (r"\d{5}", "order 48213", "48213"),  # no group: the whole match
        (r"(?:ORD-)(\d+)|(\d{3})", "ref 123", "123"),  # group 1 did not take part
        (r"[A-Z]{3}\d", "abc1 ABC2", "ABC2"),  # matched as written: case-sensitive
        (r"(?i)[A-Z]{3}\d", "abc1 ABC2", "abc1"),
        (r"\d*", "ab 12", "12"),  # an empty match is no value
        (r"\d{5}", "no digits here", None),
    ],
)
def test_pattern_slots(regex: str, text: str, expected: str | None) -> None:
    assert build_extractor(pattern(regex), TODAY)(text) == expected


def test_pattern_slots_look_only_at_the_first_max_text_characters() -> None:
    extract = build_extractor(pattern(r"\d{5}"), TODAY)
    assert extract("x" * (MAX_TEXT - 5) + "48213") == "48213"
    assert extract("x" * MAX_TEXT + "48213") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a LARGE one", "large"),
        ("the big one please", "large"),  # a synonym, stored as the canonical name
        ("extra  large", "extra large"),  # the longest phrase wins, any spacing
        ("xxl", "extra large"),
        ("lsrge", "large"),  # one slip in a five-letter word is forgiven
        ("extra lareg", "extra large"),
        ("smaller", None),  # whole words only
        ("team", None),  # short words must be exact
        ("medium", None),
    ],
)
def test_choice_slots(text: str, expected: str | None) -> None:
    assert build_extractor(SIZES, TODAY)(text) == expected


LOSS = Slot(
    "loss", "choice", True, values={"stolen": ("pickpocketed", "snatched"), "lost": ("misplaced",)}
)


@given(
    st.sampled_from(["stolen", "pickpocketed", "snatched", "lost", "misplaced"]),
    st.sampled_from(["substitute", "delete", "insert", "transpose"]),
    st.integers(min_value=0),
    st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
)
def test_one_slip_in_a_long_choice_word_is_forgiven(
    phrase: str, edit: str, where: int, letter: str
) -> None:
    i = where % (len(phrase) - 1)
    slipped = {
        "substitute": phrase[:i] + letter + phrase[i + 1 :],
        "delete": phrase[:i] + phrase[i + 1 :],
        "insert": phrase[:i] + letter + phrase[i:],
        "transpose": phrase[:i] + phrase[i + 1] + phrase[i] + phrase[i + 2 :],
    }[edit]
    expected = "lost" if phrase in ("lost", "misplaced") else "stolen"
    found = build_extractor(LOSS, TODAY)(f"well, it was {slipped} yesterday")
    if len(phrase) < 5 and slipped != phrase:
        assert found is None  # short words must be exact
    else:
        assert found == expected


def test_choice_with_no_values_never_matches() -> None:
    assert build_extractor(Slot("c", "choice", True), TODAY)("anything") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", "42"),
        ("about 2.50 kilos", "2.5"),
        ("1,200 dollars", "1200"),
        ("forty two", "42"),
        ("forty-two", "42"),
        ("a hundred", "100"),
        ("one hundred and five people", "105"),
        ("twelve hundred", "1200"),
        ("nine hundred ninety nine thousand", "999000"),
        ("forty two thousand three hundred and one", "42301"),
        ("two three", "2"),
        ("three then 7", "3"),  # the first number said
        ("7 then three", "7"),
        ("someone said nothing", None),
        ("no number", None),
    ],
)
def test_number_slots(text: str, expected: str | None) -> None:
    assert extract_number(text) == expected


def test_numbers_outside_min_max_are_no_value() -> None:
    slot = Slot("n", "number", False, minimum=1, maximum=10)
    extract = build_extractor(slot, TODAY)
    assert [extract(t) for t in ("five", "10", "eleven", "0", "0.5")] == [
        "5",
        "10",
        None,
        None,
        None,
    ]


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
]
_ONES += ["fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(_TENS_WORDS[n // 10 - 2])
        n %= 10
        if n:
            words.append(_ONES[n])
    elif n or not words:
        words.append(_ONES[n])
    return words


def _spell(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    words = [*_spell_below_thousand(thousands), "thousand"] if thousands else []
    if rest or not words:
        words += _spell_below_thousand(rest)
    return " ".join(words)


@given(st.integers(min_value=0, max_value=999_999))
def test_every_number_up_to_a_million_reads_back_from_words(n: int) -> None:
    spelt = _spell(n)
    assert extract_number(f"it's {spelt} please") == str(n)
    assert words_to_number(spelt.split()) == (n, len(spelt.split()))


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(0, 99))
def test_digit_numbers_read_back(whole: int, cents: int) -> None:
    assert extract_number(f"total {whole}") == str(whole)
    written = f"{abs(whole)}.{cents:02d}"
    value = extract_number(f"total {written} euros")
    assert value is not None and Decimal(value) == Decimal(written)
    assert "." not in value or not value.endswith("0")  # no trailing zeros


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at Joe.Bloggs+x@Example.co.uk.", "Joe.Bloggs+x@Example.co.uk"),
        ("a@b", None),
        ("x@y.z", None),
        ("no address", None),
    ],
)
def test_email_slots(text: str, expected: str | None) -> None:
    assert extract_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on +44 20 7946 0018 please", "+442079460018"),
        ("555-123-4567", "5551234567"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("(020) 7946 0018", "02079460018"),
        ("my order 48213 and 555 1234", "5551234"),
        ("123456", None),  # 6 digits: too short
        ("1234567890123456", None),  # 16 digits: too long
        ("on 2025-03-12", None),  # a date is not a phone number
        ("555--1234", None),
    ],
)
def test_phone_slots(text: str, expected: str | None) -> None:
    assert extract_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-12", "2025-03-12"),
        ("today", "2025-01-15"),
        ("tomorrow please", "2025-01-16"),
        ("the day after tomorrow", "2025-01-17"),
        ("on Friday", "2025-01-17"),
        ("wednesday", "2025-01-22"),  # the next such day, never today
        ("next tues", "2025-01-21"),
        ("12 March", "2025-03-12"),
        ("March 12th", "2025-03-12"),
        ("12th of March 2026", "2026-03-12"),
        ("Mar 3, 2027", "2027-03-03"),
        ("10 January", "2026-01-10"),  # without a year: the next one on or after today
        ("15 January", "2025-01-15"),
        ("12/03", "2025-03-12"),  # day first
        ("03/25", "2025-03-25"),  # only month first makes a date
        ("12/03/2026", "2026-03-12"),
        ("12/03/26", "2026-03-12"),
        ("29 February", "2028-02-29"),
        ("31 February", None),
        ("31/02", None),
        ("the weather", None),
    ],
)
def test_date_slots(text: str, expected: str | None) -> None:
    assert extract_date(text, TODAY) == expected


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_iso_and_written_dates_read_back(day: dt.date) -> None:
    assert extract_date(f"on {day.isoformat()}", TODAY) == day.isoformat()
    assert extract_date(f"on {day.day} {day:%B} {day.year}", TODAY) == day.isoformat()
    assert extract_date(f"on {day:%b} {day.day}, {day.year}", TODAY) == day.isoformat()


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_weekdays_resolve_to_the_next_such_day(today: dt.date) -> None:
    for offset in range(1, 8):
        target = today + dt.timedelta(days=offset)
        assert extract_date(f"{target:%A}", today) == target.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it's John Smith", "John Smith"),
        ("My name is Anna.", "Anna"),
        ("sure, it's 12 Baker Street, London", "12 Baker Street, London"),
        ("the address is 4 Elm Road", "4 Elm Road"),
        ("my new address is 9 Mill Lane, York", "9 Mill Lane, York"),
        ("Hi, I'm Bob!", "Bob"),
        ("it\u2019s Zoë", "Zoë"),
        ("Well Street 5", "Well Street 5"),  # "well" is a lead-in only before a comma
        ("yes 12 Baker Street please", "12 Baker Street"),
        ("  ", None),
        ("it's", None),
        ("thanks", None),
    ],
)
def test_text_slots(text: str, expected: str | None) -> None:
    assert extract_text(text) == expected


@given(st.text(max_size=80))
def test_extractors_never_crash_and_text_values_come_from_the_message(text: str) -> None:
    for kind in ("number", "email", "phone", "date", "text"):
        value = build_extractor(Slot("s", kind, False), TODAY)(text)
        assert value is None or (value.strip() == value and value != "")
    value = extract_text(text)
    assert value is None or value in text


def test_a_pattern_slot_without_a_pattern_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="needs a pattern"):
        build_extractor(Slot("s", "pattern", True), TODAY)


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("Sheffield to Liverpool Lime Street. Ty", "Sheffield to Liverpool Lime Street"),
        ("Ah ok. York", "York"),
        ("Yeahh it's Leeds", "Leeds"),
        ("Rossi, cheers!", "Rossi"),
        ("Hannah Clarke. Thanks a lot.", "Hannah Clarke"),
        ("Costa", "Costa"),  # a name that merely ends like "ta" keeps it
        ("Betty", "Betty"),
    ],
)
def test_free_text_leaves_the_customers_courtesies_out(said: str, stored: str) -> None:
    assert extract_text(said) == stored


@pytest.mark.parametrize("name", ["Ty", "Ta"])
def test_a_name_that_is_also_a_sign_off_is_kept_when_it_is_all_there_is(name: str) -> None:
    assert extract_text(name) == name
    assert extract_text(f"my name is {name}") == name
    assert extract_text(f"it's {name}. Thanks") == name


def test_two_readings_are_one_only_when_they_share_their_characters() -> None:
    from pytest_persona.flow.freetext import same_value

    assert same_value("31008842", "31008842")
    assert same_value("1234567", "AC-1234567")  # the digits inside an account reference
    assert not same_value("日本", "中国")  # nothing in common, whatever the script
    assert same_value("大阪", "大阪")
    assert not same_value("", "") and not same_value("York", None)


_DATE_PIECES = ["jan", "May", "mon", "Monday", "tues", "THURS", "sat", "today", "Tomorrow",
                "day after tomorrow", "yesterday", "12", "3", "/", "-", "2024", "st", " ", ",",
                ".", "the", "of", "sept", "doctor", "money", "weds", "_", "'"]  # fmt: skip


@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=10).map("".join))
def test_a_date_is_read_as_the_whole_pattern_reads_it(text: str) -> None:
    from pytest_persona.flow import dates

    today = dt.date(2025, 1, 15)
    expected = None
    for found in dates._DATE.finditer(text):
        try:
            expected = dates._resolve(found, today).isoformat()
            break
        except ValueError:
            continue
    assert extract_date(text, today) == expected


@given(st.text())
def test_has_digit_agrees_with_the_regex(text: str) -> None:
    from pytest_persona.flow.dates import has_digit

    assert has_digit(text) == (re.search(r"\d", text) is not None)


def test_a_day_name_the_pattern_reads_case_blind_is_a_day_not_a_crash() -> None:
    today = dt.date(2025, 1, 15)  # a Wednesday
    assert extract_date("wed\u017f", today) == "2025-01-22"  # "weds" with a long s
    assert extract_date("\u017funday", today) == "2025-01-19"
    assert extract_date("fr\u0131day", today) == "2025-01-17"  # a dotless i
    assert extract_date("apr\u0131l 3", today) == "2025-04-03"
