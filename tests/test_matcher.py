"""The intent matcher behaves like a small NLU: tolerant, strict about evidence, repeatable."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matcher_flows import (
    CONFIRM,
    DETERMINISM_MESSAGES,
    GLOBAL,
    GREET,
    INTENTS,
    TRACK_PARAPHRASES,
    as_rows,
    make_flow,
    results,
    step_matcher,
)

from pytest_persona.flow.matcher import OFF_TOPIC, IntentMatcher, Match, StepMatcher
from pytest_persona.flow.textnorm import MAX_MESSAGE_CHARS


def acceptance(step: StepMatcher, intent: str, messages: Iterable[str]) -> float:
    found = [step.match(m) for m in messages]
    return sum(m.accepted and m.intent == intent for m in found) / len(found)


@pytest.fixture(scope="module")
def greet() -> StepMatcher:
    return step_matcher(GREET + GLOBAL)


@pytest.fixture(scope="module")
def confirm() -> StepMatcher:
    return step_matcher(CONFIRM + GLOBAL)


@pytest.mark.parametrize(
    ("names", "intent", "example"),
    [
        (GREET + GLOBAL if n not in CONFIRM else CONFIRM + GLOBAL, n, e)
        for n, examples in INTENTS.items()
        for e in examples
    ],
)
def test_every_example_is_accepted_with_full_confidence(
    names: tuple[str, ...], intent: str, example: str
) -> None:
    match = step_matcher(names).match(example)
    assert match.accepted
    assert match.intent == intent
    assert match.confidence == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("original", "shuffled"),
    [
        ("where is my order", "Order... MY where IS?!"),
        ("has my order shipped yet", "YET shipped, has my order?"),
    ],
)
def test_word_order_and_case_and_punctuation_do_not_matter(
    greet: StepMatcher, original: str, shuffled: str
) -> None:
    expected = greet.match(original)
    assert expected.intent == "track_order"
    found = greet.match(shuffled)
    # The runner-up may differ: "Order..." is a sentence of its own, read on its own too.
    assert (found.intent, found.confidence, found.accepted) == (
        expected.intent,
        pytest.approx(expected.confidence),
        expected.accepted,
    )
    assert found.runner_up_confidence <= found.confidence


@pytest.mark.parametrize(
    ("names", "message", "intent"),
    [
        (GREET + GLOBAL, "wher is my ordr", "track_order"),
        (GREET + GLOBAL, "trak my pakage", "track_order"),
        (GREET + GLOBAL, "chnage my delivery adress", "change_address"),
        (GREET + GLOBAL, "talk to a humna", "agent"),
        (CONFIRM + GLOBAL, "yse", "affirm"),
        (GREET + GLOBAL, "whereis my order", "track_order"),
    ],
)
def test_small_typos_are_understood_with_less_confidence(
    names: tuple[str, ...], message: str, intent: str
) -> None:
    match = step_matcher(names).match(message)
    assert match.accepted and match.intent == intent
    assert match.confidence < 1.0


def test_typos_lower_acceptance_over_many_messages(greet: StepMatcher) -> None:
    rng = random.Random(7)

    def slip(text: str) -> str:
        chars = list(text)
        for _ in range(2):
            i = rng.randrange(len(chars))
            chars[i] = rng.choice("qwertyuiopasdfghjklzxcvbnm")
        return "".join(chars)

    messages = [p for p in TRACK_PARAPHRASES for _ in range(5)]
    clean = [greet.match(m) for m in messages]
    noisy = [greet.match(slip(m)) for m in messages]
    assert sum(m.accepted for m in noisy) < sum(m.accepted for m in clean)
    assert sum(m.confidence for m in noisy) < sum(m.confidence for m in clean)


@pytest.mark.parametrize(
    ("names", "message", "short_intent"),
    [
        (GREET + GLOBAL, "I need help tracking my order", "help"),
        (CONFIRM + GLOBAL, "I need help tracking my order", "help"),
        (CONFIRM + GLOBAL, "I have no idea where my parcel is", "deny"),
        (CONFIRM + GLOBAL, "yes I would like to change my delivery address", "affirm"),
        (GREET + GLOBAL, "can you tell me where my agent parcel went", "agent"),
    ],
)
def test_a_short_example_does_not_claim_every_sentence_containing_it(
    names: tuple[str, ...], message: str, short_intent: str
) -> None:
    step = step_matcher(names)
    match = step.match(message)
    assert not (match.accepted and match.intent == short_intent)
    assert 0.0 < dict(step.ranked(message))[short_intent] < 0.75


def test_a_short_message_still_meets_its_short_example(confirm: StepMatcher) -> None:
    assert confirm.match("help me").intent == "help"
    assert confirm.match("help me").accepted
    assert confirm.match("no!").accepted and confirm.match("no!").intent == "deny"
    assert confirm.match("yes please").accepted and confirm.match("yes please").intent == "affirm"


def test_long_polite_messages_are_understood_by_their_key_content(greet: StepMatcher) -> None:
    message = (
        "Hello there, I hope you are well. I was wondering if you could tell me where my "
        "order is, thank you so much"
    )
    match = greet.match(message)
    assert match.accepted and match.intent == "track_order"
    assert match.confidence < 1.0


UNRELATED = (
    "can I get a mortgage",
    "my cat is called Bob",
    "the printer on the third floor is jammed",
    "I would like to book a table for two tonight",
    "what do you think about politics",
    "12345",
    "!!!???",
)


@pytest.mark.parametrize("message", UNRELATED)
def test_unrelated_messages_are_not_accepted(message: str) -> None:
    match = step_matcher(GREET + GLOBAL, off_topic=None).match(message)
    assert not match.accepted


def test_off_topic_examples_are_matched_when_the_flow_has_them(greet: StepMatcher) -> None:
    match = greet.match("tell me a joke please")
    assert match.accepted and match.intent == OFF_TOPIC and match.off_topic
    without = step_matcher(GREET + GLOBAL, off_topic=None).match("tell me a joke please")
    assert without.intent != OFF_TOPIC and not without.off_topic


def test_off_topic_examples_are_active_even_at_a_step_with_no_intents() -> None:
    match = step_matcher(()).match("what's the weather like")
    assert match.intent == OFF_TOPIC and match.accepted


def test_threshold_accepts_at_or_above() -> None:
    message = "where is the order I placed"
    confidence = step_matcher().match(message).confidence
    assert 0.0 < confidence < 1.0
    assert step_matcher(threshold=confidence).match(message).accepted
    assert not step_matcher(threshold=min(1.0, confidence + 1e-6)).match(message).accepted
    assert step_matcher(threshold=confidence - 0.1).match(message).accepted


def test_ambiguity_margin_rejects_close_runners_up() -> None:
    intents = {
        "open_account": ("open an account", "open account"),
        "close_account": ("close an account", "close account"),
    }
    message = "account open close"
    names = tuple(intents)
    loose = step_matcher(names, intents=intents, threshold=0.0, margin=0.0).match(message)
    assert {loose.intent, loose.runner_up} == set(names)
    assert loose.confidence - loose.runner_up_confidence < 0.05
    assert loose.accepted
    strict = step_matcher(names, intents=intents, threshold=0.0, margin=0.05).match(message)
    assert not strict.accepted
    assert strict.intent == loose.intent


def test_a_gap_of_exactly_the_margin_counts_as_clear() -> None:
    message = "I need help tracking my order"
    probe = step_matcher(threshold=0.0, margin=0.0).match(message)
    assert probe.runner_up is not None
    gap = probe.confidence - probe.runner_up_confidence
    assert 0.0 < gap < 1.0
    assert step_matcher(threshold=0.0, margin=gap).match(message).accepted
    assert not step_matcher(threshold=0.0, margin=gap + 1e-6).match(message).accepted


def test_ambiguity_margin_accepts_a_clear_winner() -> None:
    match = step_matcher(threshold=0.0, margin=0.3).match("track my package now")
    assert match.accepted and match.intent == "track_order"
    assert match.confidence - match.runner_up_confidence >= 0.3


@given(st.sampled_from([e for examples in INTENTS.values() for e in examples] + ["order yes"]))
def test_inactive_intents_are_never_returned(message: str) -> None:
    step = step_matcher(CONFIRM + GLOBAL)
    match = step.match(message)
    allowed = {*CONFIRM, *GLOBAL, OFF_TOPIC, None}
    assert match.intent in allowed and match.runner_up in allowed
    assert {name for name, _ in step.ranked(message)} <= allowed - {None}


def test_ranked_lists_every_active_intent_best_first(greet: StepMatcher) -> None:
    ranked = greet.ranked("where is my order")
    assert {name for name, _ in ranked} == {*GREET, *GLOBAL, OFF_TOPIC}
    assert ranked[0] == ("track_order", 1.0)
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    match = greet.match("where is my order")
    assert ranked[1][1] == pytest.approx(match.runner_up_confidence)


def test_fewer_examples_accept_fewer_paraphrases() -> None:
    full = dict(INTENTS)
    full["track_order"] = INTENTS["track_order"] + (
        "when will my order arrive",
        "order status",
    )
    cut = dict(INTENTS)
    cut["track_order"] = ("where is my order",)
    many = acceptance(step_matcher(intents=full), "track_order", TRACK_PARAPHRASES)
    one = acceptance(step_matcher(intents=cut), "track_order", TRACK_PARAPHRASES)
    assert many >= 0.5
    assert one <= many - 0.2


def test_very_long_messages_are_cut_before_matching(greet: StepMatcher) -> None:
    padding = "blah " * (MAX_MESSAGE_CHARS // 5)
    assert greet.match("where is my order " + padding).intent == "track_order"
    assert not greet.match(padding + " where is my order").accepted


def test_for_intents_shares_one_matcher_per_set_and_for_step_adds_globals() -> None:
    flow = make_flow()
    matcher = IntentMatcher(flow)
    assert matcher.for_intents(["help", "agent"]) is matcher.for_intents(("agent", "help"))
    step = matcher.for_step(flow.steps["confirm"])
    assert step is matcher.for_intents(CONFIRM + GLOBAL)


def test_results_do_not_depend_on_cache_state() -> None:
    # One cold matcher per message, against one matcher that has seen them all before.
    fresh = [step_matcher(CONFIRM + GLOBAL).match(m) for m in DETERMINISM_MESSAGES]
    warm = step_matcher(CONFIRM + GLOBAL)
    results(warm, reversed(DETERMINISM_MESSAGES))
    assert results(warm, DETERMINISM_MESSAGES) == fresh
    assert results(warm, DETERMINISM_MESSAGES) == fresh


_SUBPROCESS = """
import json, sys
sys.path.insert(0, {tests!r})
from matcher_flows import DETERMINISM_MESSAGES, GLOBAL, GREET, as_rows, results, step_matcher
print(json.dumps(as_rows(results(step_matcher(GREET + GLOBAL), DETERMINISM_MESSAGES))))
"""


def test_results_do_not_depend_on_the_hash_seed() -> None:
    outputs = []
    for seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = _SUBPROCESS.format(tests=os.path.dirname(__file__))
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(json.loads(done.stdout))
    here = json.loads(json.dumps(as_rows(results(step_matcher(), DETERMINISM_MESSAGES))))
    assert outputs[0] == outputs[1] == here
    assert any(row[2] for row in here)


_GREET_SHARED = step_matcher(GREET + GLOBAL)
_CONFIRM_SHARED = step_matcher(CONFIRM + GLOBAL)
_VOCABULARY = sorted({w for texts in INTENTS.values() for t in texts for w in t.split()})
_LONG_MESSAGES = st.lists(
    st.sampled_from([*_VOCABULARY, "please", "thanks", "zzz", "ordr", "48213", "\u00e9t\u00e9"]),
    min_size=120,
    max_size=400,
).map(" ".join)


# Long texts go past MAX_MESSAGE_CHARS, which bounds the work whatever their length.
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.text(min_size=600, max_size=1500) | _LONG_MESSAGES)
def test_any_text_gives_a_confidence_within_bounds(text: str) -> None:
    for step in (_GREET_SHARED, _CONFIRM_SHARED):
        match = step.match(text)
        assert 0.0 <= match.confidence <= 1.0
        assert 0.0 <= match.runner_up_confidence <= match.confidence
        assert not match.accepted or match.confidence >= 0.75
        assert all(0.0 <= score <= 1.0 for _, score in step.ranked(text))


def test_empty_and_symbol_only_messages_match_nothing(greet: StepMatcher) -> None:
    for text in ("", "   ", "?!", "\U0001f642", "\x00"):
        assert greet.match(text) == Match(None, 0.0, False)


def test_emoji_examples_are_words_of_their_own() -> None:
    intents = {"affirm": ("yes", "\U0001f44d"), "deny": ("no", "\U0001f44e")}
    step = step_matcher(("affirm", "deny"), intents=intents)
    assert step.match("\U0001f44d").intent == "affirm"
    assert step.match("\U0001f44e\U0001f44e").intent == "deny"


POLITE = (
    "Hello dear, I hope you're well. My daughter usually does this for me. "
    "Where is my order? Thank you ever so much."
)


def test_social_sentences_around_a_request_weigh_little(greet: StepMatcher) -> None:
    polite = greet.match(POLITE)
    assert polite.accepted and polite.intent == "track_order"
    run_on = greet.match(POLITE.replace(".", "").replace("?", "").replace(",", ""))
    assert run_on.intent == "track_order" and run_on.confidence < polite.confidence


def test_a_request_beside_a_sentence_of_details_is_read_on_its_own(
    greet: StepMatcher,
) -> None:
    """The details name another intent's words ("address"); read as one bag they halve
    the request's share, read apart they leave it clear."""
    message = "Where is my order please. My new address is 12 High Street, Leeds."
    found = greet.match(message)
    assert found.accepted and found.intent == "track_order"
    assert found.confidence > greet.match(message.replace(". My", " and my")).confidence


def test_two_requests_in_one_message_are_ambiguous(greet: StepMatcher) -> None:
    found = greet.match("Where is my order? Change my delivery address.")
    assert {found.intent, found.runner_up} == {"track_order", "change_address"}
    assert not found.accepted


def test_sentences_that_each_say_something_else_clearly_are_not_understood(
    confirm: StepMatcher,
) -> None:
    first, second = confirm.match("No."), confirm.match("Yes, the other one.")
    assert (first.intent, second.intent) == ("deny", "affirm")
    assert first.accepted and second.accepted
    assert not confirm.match("No. Yes, the other one.").accepted


def test_an_off_topic_sentence_beside_a_request_does_not_compete_with_it(
    greet: StepMatcher,
) -> None:
    assert greet.match("Tell me a joke.").off_topic
    found = greet.match("Where is my order? Tell me a joke.")
    assert found.accepted and found.intent == "track_order"


def test_an_everyday_word_an_intent_is_about_is_no_filler() -> None:
    """"card" is an everyday word, but half of lost_card's examples say it: "I lost my
    card." is the request beside "Help.", not small talk around it."""
    intents = {
        **INTENTS,
        "lost_card": ("I've lost my card", "lost card", "card stolen", "my card is missing"),
    }
    step = step_matcher(("lost_card", "track_order", *GLOBAL), intents=intents)
    found = step.match("Hi. I lost my card. Help.")
    assert found.accepted and found.intent == "lost_card"


def test_chit_chat_alone_is_not_a_request(greet: StepMatcher) -> None:
    chat = "Hello dear, I hope you're well. My daughter usually does this."
    assert not greet.match(chat).accepted


def test_a_social_sentence_counts_the_same_at_every_step() -> None:
    """Filler is judged against the flow's whole vocabulary, not the step's intents."""
    greet_step, confirm_step = step_matcher(GREET + GLOBAL), step_matcher(CONFIRM + GLOBAL)
    aside = "Sorry, I'm a bit slow with all this."
    for step, answer in ((greet_step, "Where is my order?"), (confirm_step, "Yes.")):
        alone, padded = step.match(answer), step.match(f"{aside} {answer}")
        assert padded.accepted and padded.intent == alone.intent
        assert alone.confidence - padded.confidence < 0.1


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Where is my order? Thank you for your help.", "track_order"),
        ("Change my delivery address. Many thanks for your help!", "change_address"),
        ("Tell me a joke. Thanks for the help.", OFF_TOPIC),
    ],
)
def test_a_closing_thanks_does_not_ask_for_help(
    greet: StepMatcher, message: str, intent: str
) -> None:
    """A closing "Thank you for your help." signs off: the request is elsewhere."""
    found = greet.match(message)
    assert found.accepted and found.intent == intent


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Yes. Thank you for your help.", "affirm"),
        ("That is right. Thank you for your help.", "affirm"),
        ("No. Thanks for your help.", "deny"),
    ],
)
def test_an_answer_signed_off_with_thanks_is_the_answer(message: str, intent: str) -> None:
    found = step_matcher(CONFIRM + GLOBAL).match(message)
    assert found.accepted and found.intent == intent


def test_thanks_alone_or_with_nothing_else_the_step_knows_is_still_read() -> None:
    intents = {**INTENTS, "thanks": ("thank you", "thanks a lot")}
    step = step_matcher((*GREET, *GLOBAL, "thanks"), intents=intents)
    assert step.match("Thank you so much.").intent == "thanks"
    assert step.match("Hmm. Thanks!").intent == "thanks"
    assert step.match("Help. Thanks.").intent == "help"


def test_what_a_thanks_is_for_asks_for_nothing(greet: StepMatcher) -> None:
    """"Thank you for your help" is no request for help, beside a slot value or alone."""
    for message in ("Thank you for your help.", "48213. Thanks so much for your help!",
                    "Hmm. Thanks for your help"):  # fmt: skip
        assert not greet.match(message).accepted, message
    found = greet.match("Thanks for that, where is my order")
    assert found.accepted and found.intent == "track_order"


def test_a_request_after_a_thanks_is_still_read(greet: StepMatcher) -> None:
    """Only a short "for ..." closing the thanks goes, not the request that follows it."""
    for message, intent in (
        ("Thanks for asking where my order is", "track_order"),
        ("thank you for getting back to me I need to change my delivery address",
         "change_address"),
    ):  # fmt: skip
        found = greet.match(message)
        assert found.accepted and found.intent == intent, message


def test_a_word_split_by_a_stray_space_still_matches() -> None:
    intents = {"track": ("I forgot my password",), "yes": ("change my email",)}
    step = step_matcher(["track", "yes"], intents=intents, off_topic=None)
    whole, split = step.match("I forgot my password"), step.match("I forgot my pass word")
    assert split.accepted and split.intent == "track"
    assert split.confidence == pytest.approx(whole.confidence)
    assert step.match("change my e mail").intent == "yes"


FILLERS = ("I hope you are well.", "It is a lovely day today.", "Thank you so much.", "")
REQUESTS = ("where is my order", "wher is my ordr", "I need help tracking my order",
            "yes thats right", "ship it elsewhere")  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FILLERS), st.sampled_from(REQUESTS), st.sampled_from(FILLERS)),
        min_size=1,
        max_size=6,
    )
)
def test_memoised_scores_are_those_of_a_fresh_matcher(
    messages: list[tuple[str, str, str]],
) -> None:
    """Messages sharing a request but not their filler share a recall query, memoised
    apart from the share query: the scores must still be the message's own."""
    warm = step_matcher(GREET + GLOBAL)
    for before, request, after in messages:
        text = " ".join(piece for piece in (before, request + ".", after) if piece)
        fresh = step_matcher(GREET + GLOBAL)
        assert warm.match(text) == fresh.match(text)
        assert warm.ranked(text) == fresh.ranked(text)


def test_forgetting_the_score_memos_changes_no_answer(greet: StepMatcher) -> None:
    messages = ["where is my order", "wher is my ordr", "tell me a joke", "yes thats right"]
    before = [greet.match(text) for text in messages]
    greet.forget_scores()
    assert [greet.match(text) for text in messages] == before


@pytest.mark.parametrize("message", ["not correct", "that is not correct", "not yes", "incorrect"])
def test_a_negated_yes_is_never_taken_for_yes(message: str) -> None:
    """Confirming what a customer refused is the costliest misreading: a negation weighs
    as much as the word it turns round, whether or not the flow's examples use it."""
    for deny in (("no", "nope", "wrong"), ("no", "not right", "that's not right")):
        intents = {"yes": ("yes", "yeah", "correct", "that's right"), "no": deny}
        step = IntentMatcher(make_flow(intents)).for_intents(("yes", "no"))
        found = step.match(message)
        assert not (found.accepted and found.intent == "yes"), (deny, found)
        assert step.match("correct").intent == "yes" and step.match("correct").accepted


def test_the_engines_verdict_is_the_match_it_reads(greet: StepMatcher) -> None:
    for text in [*DETERMINISM_MESSAGES, "", "qwv zzyx", "hello. where is my order?"]:
        found = greet.match(text)
        assert greet.verdict(text) == (found.intent if found.accepted else None, found.confidence)
