"""A simulated customer: one conversation's goal, details and turn-by-turn reactions.

``CustomerFactory`` holds everything one (flow, persona, seed) shares: the plan graph,
phrase pools, the voice. ``Customer`` keeps only its own conversation's state; each
turn draws from a fresh stream keyed by (step, visit), so an edit to a flow changes
only the turns it touches.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..flow.engine import Reply
from ..flow.model import Flow, Goal, Slot
from ..rng import conversation_seeds, derive_seed, feed, seed_from, turn_seed, turn_seeds
from .offtopic import off_topic_remark
from .personas import Persona
from .phrasebank import REASSURANCE
from .planner import Env, GoalUnreachable, Plan
from .preparation import FlowPreparation
from .slotvalues import Framer, make_value, same_detail, spoken_value
from .voice import Part, Sentence, Voice

__all__ = ["Customer", "CustomerFactory", "FlowPreparation", "GoalUnreachable", "Move"]

_SCALE = 1000  # wander shares are kept to 1/1000 so the window arithmetic is exact
# A worried customer mostly asks for reassurance along with its answer; this share of
# the time the question is the whole message, which a step waiting for an answer misses.
REASSURANCE_ALONE = 0.3
# Assistant replies whose word counts a factory keeps (replies recur: counted once each).
MAX_COUNTED_REPLIES = 20_000


@dataclass(frozen=True)
class Move:
    kind: Literal["text", "click", "give_up"]
    text: str = ""  # the message typed, or the button label clicked
    off_topic: bool = False  # this message is the customer's off-topic wandering


GIVE_UP = Move("give_up")
_NO_BUTTONS: Mapping[str, str] = {}
_WORRIES = tuple(Part(text) for text in REASSURANCE)  # shared: parts never change


class CustomerFactory:
    """Per (flow, persona, seed): the plan graph, phrase pools, voice and goal weights."""

    def __init__(
        self, flow: Flow, persona: Persona, seed: int, preparation: FlowPreparation | None = None
    ) -> None:
        """``preparation`` lets callers share the flow's persona-independent parts."""
        if preparation is None:
            preparation = FlowPreparation(flow)
        elif preparation.flow is not flow:
            raise ValueError("the preparation was made for another flow")
        self.flow = flow
        self.persona = persona
        self.seed = seed
        self.preparation = preparation
        self.planner = preparation.planner
        self.goals, self.start_plans = preparation.goals, preparation.start_plans
        # Running totals of the goals' weights, as ``random.choices`` would make them.
        self._cumulative = list(itertools.accumulate(max(goal.weight, 0.0) for goal in self.goals))
        # Per goal: the fixed details its way should ask for; turns a wanderer may wait.
        self.owed = tuple(self.planner.owed(goal) for goal in self.goals)
        self.wander_spans = tuple(max(1, min(3, plan.moves)) for plan in self.start_plans)
        self.slot_items: tuple[tuple[str, Slot], ...] = tuple(flow.slots.items())
        self.framer = Framer(flow, persona.style)
        self.wording = preparation.wording
        self.voice = Voice(persona, preparation.taken)
        self.agent_intent = preparation.agent_intent
        self.repeat_intent = preparation.repeat_intent
        self.buttons = preparation.buttons
        self.readbacks = preparation.readbacks
        self.no_match_steps = preparation.no_match_steps
        self.corrections = preparation.corrections
        self.setters = preparation.setters
        self.in_scope = preparation.in_scope
        self._share = round(persona.wander_share * _SCALE)
        self._phase = derive_seed("wander", seed, flow.id, persona.name) % _SCALE
        self._prefix = turn_seeds(seed, flow.id, persona.name)
        self._setup_prefix = conversation_seeds(seed, flow.id, persona.name)
        self._reply_words: dict[tuple[str, ...], int] = {}

    def wanders(self, index: int) -> bool:
        """Whether conversation ``index`` wanders: a fixed share of every run of indices."""
        at = index + self._phase
        return (at + 1) * self._share // _SCALE > at * self._share // _SCALE

    def customer(self, index: int) -> Customer:
        return Customer(self, index)

    def words_in(self, messages: tuple[str, ...]) -> int:
        """How many words a reply's messages hold (a customer may ask to hear a long one
        again); the same replies come again and again, so each is counted once."""
        found = self._reply_words.get(messages)
        if found is None:
            found = sum(len(message.split()) for message in messages)
            if len(self._reply_words) < MAX_COUNTED_REPLIES:
                self._reply_words[messages] = found
        return found

    def detail_name(self, slot: str, step: str | None = None) -> str:
        return self.preparation.detail_name(slot, step)

    def turn_seeds(self, index: int) -> hashlib.blake2b:
        state = self._prefix.copy()
        feed(state, index)
        return state

    def pick_goal(self, rng: random.Random) -> int:
        return rng.choices(range(len(self.goals)), cum_weights=self._cumulative)[0]

    def setup_rng(self, index: int) -> random.Random:
        """``conversation_rng(seed, flow_id, persona, index)``, from a hash state kept here."""
        return random.Random(seed_from(self._setup_prefix, index))


def _last_word(sentence: Sentence) -> str:
    words = sentence[-1].text.rsplit(None, 1) if sentence else ()
    return words[-1].strip(",.?!") if words else ""


class Customer:
    """One conversation's customer; ``respond`` is called with every assistant reply."""

    def __init__(self, factory: CustomerFactory, index: int) -> None:
        self._f = factory
        self.index = index
        persona = factory.persona
        setup = factory.setup_rng(index)
        goal_at = factory.pick_goal(setup)
        self.goal: Goal = factory.goals[goal_at]
        self._front_load = setup.random() < persona.front_load
        self.wanders = factory.wanders(index)
        self._wander_turn = setup.randrange(factory.wander_spans[goal_at])
        values = self.values = {name: make_value(slot, setup) for name, slot in factory.slot_items}
        values.update(factory.start_plans[goal_at].chosen)
        values.update(self.goal.slots)
        self._known: dict[str, str | None] = {
            name: values.get(name) for name in factory.planner.names
        }
        self._env: Env | None = None  # ``_known`` as the planner reads it, until it changes
        self._seeds = factory.turn_seeds(index)
        self._rng = setup  # the setup stream is spent: every turn reseeds it
        self._visits: dict[str, int] = {}
        self._tried: dict[str, list[str]] = {}
        self._given: set[str] = set()
        self._owed = factory.owed[goal_at]  # fixed details its way should ask for
        self._heard: dict[str, str] = {}  # what the assistant stored for each detail
        self._reassured: set[str] = set()
        self._turn = 0
        self._misses = 0
        self._last = ""
        self._off_topic_sent = 0
        self._remark = ""
        self._asked_person = False
        self._front_loaded = False
        self._click_choice: dict[str, bool] = {}
        self._rider: Sentence | None = None

    # --- one turn ------------------------------------------------------------------
    def respond(self, reply: Reply) -> Move:
        step = reply.step
        if step is None:
            return GIVE_UP
        self._observe(reply)
        visit = self._visits.get(step, 0)
        self._visits[step] = visit + 1
        rng = self._rng
        rng.seed(self.turn_seed(step, visit))
        p = self._f.persona
        last = self._last
        # An off-topic remark the flow did not recognise is a misunderstanding too.
        if last and reply.misunderstood:
            self._misses += 1
            reaction = self._patience(rng, step)
            if reaction is not None:
                return reaction
        else:
            self._misses = 0
        if last == "off_topic":
            # Back on track when asked again by a redirect or the fallback and question; a
            # no_match hint (a failed attempt) or another intent's answer is no redirect.
            redirected = reply.reasked and (reply.off_topic or (
                reply.misunderstood and step not in self._f.no_match_steps))  # fmt: skip
            chance = p.return_after_redirect if redirected else p.return_after_redirect / 2
            if rng.random() >= chance:
                return self._wander(rng) if self._off_topic_sent < 2 else self._leave()
        if self.wanders and not self._off_topic_sent and self._turn >= self._wander_turn:
            return self._wander(rng)
        if last != "repeat" and (p.repeat_request or p.repeat_request_long):
            words = self._f.words_in(reply.messages)
            if words > p.repeat_request_long_words:
                chance = p.repeat_request_long
            else:
                chance = p.repeat_request if words >= p.repeat_request_words else 0.0
            if chance and rng.random() < chance:
                return self._request(rng, step, "repeat")
        if (
            p.reassurance
            and step not in self._reassured
            and not self._f.readbacks.isdisjoint(reply.visited)
            and rng.random() < p.reassurance
        ):
            self._reassured.add(step)
            worry: Sentence = [rng.choice(_WORRIES)]
            if rng.random() < REASSURANCE_ALONE:
                return self._say(rng, worry, "reassure", polite=False)
            self._rider = worry  # said after the answer: "Yes, that's right. Did it go through?"
        move = self._task(rng, step, reply)
        self._rider = None
        return move

    def turn_seed(self, step: str, visit: int) -> int:
        """``derive_seed("turn", seed, flow_id, persona, index, step, visit)``, from a hash
        state kept per customer."""
        return turn_seed(self._seeds, step, visit)

    def _observe(self, reply: Reply) -> None:
        """Keeps what the assistant revealed: ``set`` values entered and slots filled."""
        filled = reply.filled
        if filled:
            self._heard.update(filled)
            self._given.update(filled)
        known = self._known
        if not known:
            return
        setters = self._f.setters
        if setters:
            for name in reply.visited:
                learnt = setters.get(name)
                if learnt is not None:
                    known.update(learnt)
                    self._env = None
        if filled:
            for key, value in filled.items():
                if key in known:
                    known[key] = value
                    self._env = None

    def _patience(self, rng: random.Random, step: str) -> Move | None:
        """After a misunderstanding: give up, ask for a person, or None to rephrase."""
        p = self._f.persona
        limit = p.patience[min(self._misses, len(p.patience)) - 1]
        if limit and rng.random() < limit:
            if self._f.agent_intent and rng.random() < p.person_at_limit:
                return self._request(rng, step, "agent")
            return self._leave()
        if p.demands_person and rng.random() < p.demands_person:
            return self._request(rng, step, "agent")
        return None

    # --- what it says --------------------------------------------------------------
    def _correction(self, step: str) -> str | None:
        """At a read-back of a detail the assistant got wrong: the intent to say so."""
        for slot, intent in self._f.corrections.get(step, ()):
            heard = self._heard.get(slot)
            meant = self.values.get(slot)
            if heard is not None and meant is not None and not same_detail(heard, meant):
                return intent
        return None

    def _task(self, rng: random.Random, step: str, reply: Reply) -> Move:
        f = self._f
        fix = self._correction(step) if step in f.corrections else None
        if fix is not None:
            return self._express(rng, step, reply, fix, None)
        owed = self._owed.difference(self._given) if self._owed else self._owed
        planner = f.planner
        env = self._env
        if env is None:
            env = self._env = planner.env_of(self._known)
        plan = planner.plan(step, self.goal.end, env, owed)
        if plan is None or plan.action is None:
            p = f.persona
            if f.agent_intent and rng.random() < max(p.person_at_limit, p.demands_person):
                return self._request(rng, step, "agent")
            return self._leave()
        action = plan.action
        if action.kind == "slot":
            return self._say(rng, self._slot_answer(rng, step, action.name), "task", polite=False)
        return self._express(rng, step, reply, action.name, plan)

    def _express(
        self, rng: random.Random, step: str, reply: Reply, intent: str, plan: Plan | None
    ) -> Move:
        """Clicks the intent's button or types a phrase for it (front-loading details once)."""
        f = self._f
        label = f.buttons.get(step, _NO_BUTTONS).get(intent)
        if label is not None and label in reply.buttons and self._clicks_at(rng, step):
            self._last = "task"
            self._turn += 1
            return Move("click", label)
        tried = self._tried.setdefault(step, [])
        phrase = f.wording.base_phrase(rng, intent, step, tried)
        tried.append(phrase)
        main: Sentence = [Part(phrase)]
        extras: tuple[Sentence, ...] = ()
        if plan is not None and not self._front_loaded:
            self._front_loaded = True
            if self._front_load:
                main, extras = self._front_details(rng, main, plan)
        return self._say(rng, main, "task", extras=extras)

    def _clicks_at(self, rng: random.Random, step: str) -> bool:
        """Click or type, chosen once per step: a customer who typed an answer and was
        not understood types again rather than reaching for the button, so at a step
        the matcher, not a button, decides whether a typing customer gets through."""
        found = self._click_choice.get(step)
        if found is None:
            found = self._click_choice[step] = rng.random() < self._f.persona.button_click
        return found

    def _slot_answer(self, rng: random.Random, step: str, slot_name: str) -> Sentence:
        f = self._f
        value = self._spoken(rng, slot_name)
        if rng.random() < f.persona.bare_value:
            return [Part(value, slot=True)]
        return f.framer.answer(rng, slot_name, f.preparation.detail_name(slot_name, step), value)

    def _spoken(self, rng: random.Random, slot_name: str) -> str:
        """The customer's value for a slot as it says it (a synonym, for a choice)."""
        slot = self._f.flow.slots.get(slot_name)
        return spoken_value(slot, self.values.get(slot_name, "12345"), rng)

    def _front_details(
        self, rng: random.Random, main: Sentence, plan: Plan
    ) -> tuple[Sentence, tuple[Sentence, ...]]:
        """Every detail still ahead, at the end of the request or buried in its own sentence."""
        f = self._f
        details = [s for s in dict.fromkeys(plan.slots) if s not in self._given]
        buried = f.persona.front_load_buried
        said: list[Sentence] = []
        after = "" if buried else _last_word(main)
        for slot_name in details:
            value = self._spoken(rng, slot_name)
            noun = f.preparation.detail_name(slot_name)
            # Named even for a choice or a date: unasked, "it's 8" would say nothing.
            said.append(f.framer.lead(rng, slot_name, noun, value, after))
            if not buried:  # one run of words: the next detail follows this one
                after = _last_word(said[-1])
        if buried:
            return main, tuple(said)
        return [*main, *(part for sentence in said for part in sentence)], ()

    def _request(self, rng: random.Random, step: str, role: Literal["agent", "repeat"]) -> Move:
        """Asks for a person or for a repeat: the flow's intent for it, else the bank's words."""
        f = self._f
        intent = f.agent_intent if role == "agent" else f.repeat_intent
        tried = self._tried.setdefault(f"\x00{role}", [])
        if intent is not None:
            phrase = f.wording.base_phrase(rng, intent, step, tried)
        else:
            phrase = f.wording.bank_phrase(rng, role, tried)
        tried.append(phrase)
        if role == "agent":
            self._asked_person = True
        return self._say(rng, [Part(phrase)], "person" if role == "agent" else "repeat")

    def _wander(self, rng: random.Random) -> Move:
        remark = off_topic_remark(self._f.persona.style, rng, self._remark, self._f.in_scope)
        self._remark = remark
        self._off_topic_sent += 1
        move = self._say(rng, [Part(remark)], "off_topic", polite=False)
        return Move("text", move.text, off_topic=True)

    def _leave(self) -> Move:
        self._last = "give_up"
        return GIVE_UP

    def _say(
        self,
        rng: random.Random,
        main: Sentence,
        kind: str,
        *,
        extras: tuple[Sentence, ...] = (),
        polite: bool = True,
    ) -> Move:
        first = self._turn == 0
        self._turn += 1
        self._last = kind
        if self._rider is not None:
            extras = (*extras, self._rider)
            self._rider = None
        puzzled = kind == "repeat" or self._misses > 0
        text = self._f.voice.speak(
            rng, main, extras=extras, first=first, polite=polite, misses=self._misses,
            puzzled=puzzled,
        )  # fmt: skip
        return Move("text", text)
