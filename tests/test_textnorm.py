"""Customer words reach the matcher as canonical stems, repaired only when it is safe."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.flow.textnorm import (
    LIGHT_STEMS,
    MAX_MESSAGE_CHARS,
    Lexicon,
    Term,
    normalise,
    sentences,
    stem,
    without_thanks,
    words,
    words_of_normalised,
)

LEXICON_TEXTS = (
    "where is my order",
    "track my package",
    "has my parcel shipped",
    "change my delivery address",
    "what's the weather like",
)


def stems_of(lexicon: Lexicon, text: str) -> list[str]:
    return [term.stem for word in words(text) for term in lexicon.analyse(word)]


@pytest.mark.parametrize(
    "forms",
    [
        ("track", "tracks", "tracking", "tracked"),
        ("order", "orders", "ordered", "ordering"),
        ("ship", "ships", "shipped", "shipping"),
        ("change", "changes", "changed", "changing"),
        ("reply", "replies"),
        ("address", "addresses"),
    ],
)
def test_inflected_forms_share_one_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


@pytest.mark.parametrize("word", ["yes", "is", "was", "bus", "no", "48213"])
def test_short_words_and_numbers_are_left_alone(word: str) -> None:
    assert stem(word) == word


def test_apostrophes_case_and_curly_quotes_are_normalised() -> None:
    assert words("What's THAT?") == ["whats", "that"]
    assert words("What\u2019s that") == ["whats", "that"]
    assert words("where-is_my order!!") == ["where", "is", "my", "order"]


def test_contractions_typed_with_or_without_apostrophe_expand_alike() -> None:
    lexicon = Lexicon(LEXICON_TEXTS)
    expected = ["what", "is", "the", "weather"]
    assert stems_of(lexicon, "what's the weather") == expected
    assert stems_of(lexicon, "whats the weather") == expected
    assert stems_of(lexicon, "what is the weather") == expected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("ordr", "order"), ("pakage", "package"), ("adress", "address"), ("trakcing", "track")],
)
def test_misspelt_words_are_repaired_to_the_flows_words(typed: str, meant: str) -> None:
    lexicon = Lexicon(LEXICON_TEXTS)
    assert lexicon.analyse(typed) == (Term(stem(meant), repaired=True),)


def test_run_together_words_are_split_when_one_part_is_the_flows() -> None:
    lexicon = Lexicon(LEXICON_TEXTS)
    assert [t.stem for t in lexicon.analyse("myorder")] == ["my", "order"]
    assert all(t.repaired for t in lexicon.analyse("myorder"))
    # Two courtesies glued together could not change a match: left as one unknown word.
    assert lexicon.analyse("thankyou") == (Term("thankyou"),)


@pytest.mark.parametrize("word", ["zebra", "xylophone", "ok", "qq", "a" * 40])
def test_words_far_from_the_vocabulary_stay_unknown(word: str) -> None:
    lexicon = Lexicon(LEXICON_TEXTS)
    (term,) = lexicon.analyse(word)
    assert not term.repaired
    assert term.stem not in lexicon.stems


def test_function_words_are_known_and_never_repaired_into_the_flows_words() -> None:
    lexicon = Lexicon(("your account",))
    assert lexicon.analyse("you") == (Term("you"),)
    assert "you" in LIGHT_STEMS and "please" not in LIGHT_STEMS  # stems, not words
    assert stem("please") in LIGHT_STEMS


def test_analysis_does_not_depend_on_what_was_analysed_before() -> None:
    warm = Lexicon(LEXICON_TEXTS)
    seen = ["ordr", "myorder", "weathr", "pakages", "zzz", "chnage"]
    for word in reversed(seen):
        warm.analyse(word)
    for word in seen:
        assert warm.analyse(word) == Lexicon(LEXICON_TEXTS).analyse(word)


def test_messages_are_cut_to_a_bounded_length() -> None:
    long = "word " * (MAX_MESSAGE_CHARS)
    assert len(normalise(long)) == MAX_MESSAGE_CHARS
    expanding = "\ufdfa" * MAX_MESSAGE_CHARS  # NFKC turns this one character into 18
    assert len(normalise(expanding)) <= MAX_MESSAGE_CHARS


@given(st.text(max_size=300))
def test_any_text_gives_lower_case_words_without_apostrophes(text: str) -> None:
    for word in words(text):
        assert word
        assert "'" not in word and " " not in word
        assert word == word.lower() or not word.isalpha()


@given(st.text(alphabet=st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=40))
def test_analysis_of_any_word_is_stable(word: str) -> None:
    lexicon = Lexicon(LEXICON_TEXTS)
    first = lexicon.analyse(word)
    assert first and first == lexicon.analyse(word) == Lexicon(LEXICON_TEXTS).analyse(word)


def test_a_message_splits_into_sentences_at_their_ends_only() -> None:
    text = "Hi. My email is lena.f@mail.com, thanks! Is 3.5 ok?\nBye"
    assert sentences(text) == ["hi", "my email is lena.f@mail.com, thanks", "is 3.5 ok", "bye"]
    assert sentences("Track my order.") == ["track my order"]
    assert sentences("") == [""]
    assert sentences("...") == ["..."]


@given(st.text(max_size=80))
def test_sentences_keep_every_word(text: str) -> None:
    assert sorted(w for s in sentences(text) for w in words_of_normalised(s)) == sorted(words(text))


# The sentence break as first written; ``sentences`` uses a faster form of it.
_PLAIN_BREAK = re.compile(r"[.?!;]+(?:\s+|$)|\n+")


@given(st.text(alphabet="ab .?!;\n\t\r,", max_size=40))
def test_sentences_break_where_the_plainly_written_pattern_breaks(text: str) -> None:
    norm = normalise(text)
    expected = [piece for piece in _PLAIN_BREAK.split(norm) if piece] or [norm]
    assert sentences(text) == expected


def test_a_closing_thanks_is_left_out_unless_nothing_else_is_said() -> None:
    said = sentences("Where is my order? Thank you for your help. Many thanks!")
    assert without_thanks(said) == ["where is my order"]
    assert without_thanks(sentences("Thanks for the help.")) == ["thanks"]
    assert sentences("Thanks so much for your help, where is it") == ["thanks so much, where is it"]
    assert sentences("Thankfully it came for Easter") == ["thankfully it came for easter"]
    assert without_thanks(["no thank you", "bye"]) == ["no thank you", "bye"]


def test_a_stray_space_inside_one_of_the_flows_words_is_closed() -> None:
    lexicon = Lexicon((*LEXICON_TEXTS, "I forgot my password", "change my email"))
    assert lexicon.rejoin(["forgot", "my", "pass", "word"]) == ["forgot", "my", "password"]
    assert lexicon.rejoin(["my", "e", "mail", "addres", "s"]) == ["my", "email", "address"]
    # Only words of the flow (five letters or more) are made: "my" + "order" stays two.
    assert lexicon.rejoin(["my", "order"]) == ["my", "order"]
    assert lexicon.rejoin(["in", "to"]) == ["in", "to"]
    assert lexicon.rejoin(["pass"]) == ["pass"]


@given(st.lists(st.sampled_from(["pass", "word", "e", "mail", "my", "order", "x"]), max_size=8))
def test_rejoining_only_ever_joins_neighbours(found: list[str]) -> None:
    lexicon = Lexicon(("password", "email address", "my order"))
    joined = lexicon.rejoin(found)
    assert "".join(joined) == "".join(found)
    assert len(joined) <= len(found)


# "" and "password" as pieces too: rejoin is also called directly, and an empty word
# beside a flow word is joined into it, as any other pair making a flow word is.
@given(
    st.lists(
        st.sampled_from(["pass", "word", "e", "mail", "my", "order", "p", "", "password"]),
        max_size=8,
    )
)
def test_rejoining_joins_each_pair_that_makes_a_flow_word_from_the_left(found: list[str]) -> None:
    lexicon = Lexicon(("password", "email address", "my order", "passport"))
    flow_words = {"password", "email", "address", "order", "passport"}
    expected: list[str] = []
    index = 0
    while index < len(found):
        pair = "".join(found[index : index + 2])
        if index + 1 < len(found) and pair in flow_words:
            expected.append(pair)
            index += 2
        else:
            expected.append(found[index])
            index += 1
    assert lexicon.rejoin(found) == expected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_words_are_the_runs_of_letters_and_digits(text: str) -> None:
    import re

    norm = normalise(text)
    assert words_of_normalised(norm) == re.findall(r"[^\W_]+", norm)


def test_negations_are_never_repaired_nor_turned_into_the_word_they_negate() -> None:
    lexicon = Lexicon(("renew it now", "correct", "my account is locked", "available"))
    assert lexicon.analyse("not") == (Term("not"),)  # one edit from "now", but no slip
    for word, positive in (("incorrect", "correct"), ("unlocked", "locked"),
                           ("unavailable", "available")):  # fmt: skip
        assert all(term.stem != stem(positive) for term in lexicon.analyse(word)), word
    assert lexicon.analyse("corect") == (Term("correct", repaired=True),)  # a real slip


def test_latin_accents_are_dropped_as_typists_drop_them_and_other_scripts_keep_theirs() -> None:
    assert words("Sí, una PEQUEÑA, por favor") == ["si", "una", "pequena", "por", "favor"]
    assert words("Größe über") == ["große", "uber"]
    assert words("がぎ") == ["がぎ"]  # a mark that makes another kana stays
    lexicon = Lexicon(("sí", "quiero una pizza"))
    assert lexicon.analyse("si") == (Term("si"),)  # typed without the accent: known

