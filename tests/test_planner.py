"""The customer's planner: shortest ways, branches, global escalation, unreachable goals."""

from __future__ import annotations

import dataclasses

import pytest
from flowbuilders import ask, build, collect, end, go, intent, move, play

from pytest_persona.customers.customer import CustomerFactory
from pytest_persona.customers.goals import check_goal
from pytest_persona.customers.personas import BUILTIN_PERSONAS
from pytest_persona.customers.planner import FREE, Action, GoalUnreachable, Planner
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.model import Flow, Goal, Slot

INTENTS = [
    intent("track", "where is my order"),
    intent("change", "change my address"),
    intent("yes", "yes"),
    intent("no", "no"),
    intent("agent", "talk to a human", goto="handoff"),
    intent("restart", "start again", goto="greet"),
    intent("repeat", "say that again", back=True),
]
SLOTS = [
    Slot("order_id", "pattern", True, examples=("48213",), pattern=r"\d{5}"),
    Slot("size", "choice", True, values={"small": (), "large": ("big",)}),
]


def shop(*extra: object) -> Flow:
    """A shop with a long way and a short way to ``done`` and a detour to ``other``."""
    return build(
        "greet",
        [
            ask("greet", "Hi", {"track": "ask_order", "change": "long_1"}),
            collect("ask_order", "order_id", "Order number?", go("confirm")),
            ask("confirm", "Right?", {"yes": "done", "no": "ask_order"}),
            ask("long_1", "Sure?", {"yes": "long_2"}),
            ask("long_2", "Really?", {"yes": "long_3"}),
            ask("long_3", "Certain?", {"yes": "ask_order"}),
            end("done", "Done."),
            end("other", "Other."),
            end("handoff", "A person.", "escalated"),
        ],
        INTENTS,
        SLOTS,
    )


def test_shortest_way_takes_the_fewest_messages() -> None:
    planner = Planner(shop())
    plan = planner.plan("greet", "done", planner.env_of({}))
    assert plan is not None
    assert plan.action == Action("intent", "track")
    assert plan.moves == 3  # track, order number, yes
    assert plan.slots == ("order_id",)


def test_collect_step_plans_the_slot_value() -> None:
    planner = Planner(shop())
    plan = planner.plan("ask_order", "done", planner.env_of({}))
    assert plan is not None and plan.action == Action("slot", "order_id")


def test_a_global_goto_is_used_when_the_routes_lead_away() -> None:
    flow = build(
        "greet",
        [
            ask("greet", "Hi", {"track": "ask_order", "change": "dead_end"}),
            ask("dead_end", "Nothing here", {"no": "other"}),
            collect("ask_order", "order_id", "Order number?", go("done")),
            end("done", "Done."),
            end("other", "Other."),
            end("handoff", "A person.", "escalated"),
        ],
        INTENTS,
        SLOTS,
    )
    planner = Planner(flow)
    plan = planner.plan("dead_end", "done", planner.env_of({}))
    assert plan is not None and plan.action == Action("intent", "restart")
    assert plan.moves == 3


def test_no_way_to_the_goal_is_none() -> None:
    flow = build(
        "greet",
        [
            ask("greet", "Hi", {"track": "stuck"}),
            ask("stuck", "Well?", {"no": "other"}),
            end("done", "Done."),
            end("other", "Other."),
        ],
        INTENTS[:4],
    )
    planner = Planner(flow)
    assert planner.plan("stuck", "done", planner.env_of({})) is None


def branching(size_rule: str = "large") -> Flow:
    """Large goes straight to ``big_done``; small passes ``check``, whose set sells out."""
    return build(
        "greet",
        [
            ask("greet", "Hi", {"track": "ask_size"}),
            collect("ask_size", "size", "Which size?", go("big_done", size=size_rule), go("small")),
            move("small", "Small it is.", go("check")),
            move(
                "check",
                "Checking.",
                go("sold_out", stock="none"),
                go("done"),
                set_={"stock": "none"},
            ),
            end("big_done", "Big one."),
            end("done", "Done."),
            end("sold_out", "Sold out."),
        ],
        INTENTS[:4],
        SLOTS,
    )


def test_a_branch_on_a_free_detail_is_taken_by_choosing_the_value() -> None:
    planner = Planner(branching())
    plan = check_goal(planner, Goal("big_done"))
    assert plan.chosen == {"size": "large"}
    assert plan.action == Action("intent", "track")


def test_a_goal_slot_decides_the_branch() -> None:
    planner = Planner(branching())
    plan = check_goal(planner, Goal("sold_out", slots={"size": "small"}))
    assert plan.moves == 2
    with pytest.raises(GoalUnreachable, match="size"):
        check_goal(planner, Goal("big_done", slots={"size": "small"}))


def test_a_set_value_that_always_sends_elsewhere_makes_the_goal_unreachable() -> None:
    planner = Planner(branching())
    with pytest.raises(GoalUnreachable) as caught:
        check_goal(planner, Goal("done", slots={"size": "small"}))
    message = str(caught.value)
    assert message.startswith("goal 'done':")
    assert "'check'" in message and "'sold_out'" in message


def test_the_factory_refuses_a_flow_whose_goal_can_never_be_reached() -> None:
    flow = branching()
    flow = Flow(**{**flow.__dict__, "goals": (Goal("sold_out"), Goal("done"))})
    with pytest.raises(GoalUnreachable, match="goal 'done'"):
        CustomerFactory(flow, BUILTIN_PERSONAS["plain"], 0)


def test_unknown_values_may_go_either_way() -> None:
    flow = build(
        "greet",
        [
            ask("greet", "Hi", {"track": "decide"}),
            move("decide", "Hmm.", go("done", weather="sun"), go("other")),
            end("done", "Done."),
            end("other", "Other."),
        ],
        INTENTS[:4],
    )
    planner = Planner(flow)
    assert planner.names == ("weather",)
    landings = planner.enter("decide", (None,))
    assert {landing.step for landing in landings} == {"done", "other"}
    assert planner.enter("decide", ("rain",))[0].step == "other"
    assert check_goal(planner, Goal("done")).moves == 1


def test_free_values_start_free_only_for_slots() -> None:
    planner = Planner(branching())
    env = planner.start_env(Goal("done"))
    by_name = dict(zip(planner.names, env, strict=True))
    assert by_name == {"size": FREE, "stock": None}


def test_escalation_is_recognised_through_steps_that_move_on() -> None:
    flow = build(
        "greet",
        [
            ask("greet", "Hi", {"track": "done"}),
            move("bridge", "One moment.", go("handoff")),
            end("done", "Done."),
            end("handoff", "A person.", "escalated"),
        ],
        INTENTS[:4],
    )
    planner = Planner(flow)
    assert planner.leads_to("bridge", "escalated")
    assert not planner.leads_to("done", "escalated")


def test_answers_are_cached_per_step_goal_and_values() -> None:
    planner = Planner(shop())
    first = planner.plan("greet", "done", planner.env_of({}))
    assert planner.plan("greet", "done", planner.env_of({})) is first


def vip_orders() -> Flow:
    """One order number is special; every other one goes the same way."""
    return build(
        "greet",
        [
            ask("greet", "Hi", {"track": "ask_order"}),
            collect("ask_order", "order_id", "Which?", go("vip", order_id="99999"), go("done")),
            end("vip", "VIP."),
            end("done", "Done."),
        ],
        INTENTS[:4],
        SLOTS,
    )


def test_the_plan_memo_key_ignores_values_no_branch_tests_for() -> None:
    planner = Planner(vip_orders())
    assert planner.names == ("order_id",)
    assert planner.memo_env(("12345",)) == planner.memo_env(("54321",))
    assert planner.memo_env(("99999",)) != planner.memo_env(("12345",))
    assert planner.memo_env((None,)) != planner.memo_env(("12345",))
    assert planner.memo_env((FREE,)) == (FREE,)
    first = planner.plan("greet", "done", ("12345",))
    assert first is not None
    assert planner.plan("greet", "done", ("54321",)) is first  # one search served both


def test_the_plan_memo_keeps_values_a_branch_tests_for_apart() -> None:
    planner = Planner(vip_orders())
    assert planner.plan("greet", "vip", ("12345",)) is None
    found = planner.plan("greet", "vip", ("99999",))
    assert found is not None and found.action == Action("intent", "track")


def test_the_plan_memo_keeps_set_values_apart() -> None:
    planner = Planner(branching())
    index = planner.names.index("stock")
    env = [None] * len(planner.names)
    env[index] = "none"
    assert planner.memo_env(tuple(env)) == tuple(env)


@pytest.mark.parametrize("earlier", ["12345", "99999", None, FREE, "abc"])
@pytest.mark.parametrize("later", ["54321", "99999", None, FREE, "12345"])
@pytest.mark.parametrize("goal", ["vip", "done"])
def test_a_memoised_plan_is_the_plan_a_fresh_search_finds(
    earlier: str | None, later: str | None, goal: str
) -> None:
    flow = vip_orders()
    shared = Planner(flow)
    for step in ("greet", "ask_order"):
        shared.plan(step, goal, (earlier,))
        assert shared.plan(step, goal, (later,)) == Planner(flow).plan(step, goal, (later,))


def test_moves_are_worked_out_once_per_step_and_values() -> None:
    planner = Planner(vip_orders())
    moves = planner.moves_from("greet", ("12345",))
    assert planner.moves_from("greet", ("12345",)) is moves
    assert next(action.name for action, _, _ in moves) == "track"


def _delivery_or_collection() -> Flow:
    """Two ways to ``done``: collection (one move) or delivery, which asks for the size."""
    return build(
        "greet",
        [
            ask("greet", "Delivery or collection?", {"yes": "ask_size", "no": "done"}),
            collect("ask_size", "size", "Which size?", go("done")),
            end("done", "Done."),
            end("handoff", "A person.", "escalated"),
        ],
        INTENTS,
        SLOTS,
    )


def test_a_goal_that_fixes_a_detail_takes_the_way_that_asks_for_it() -> None:
    flow = _delivery_or_collection()
    planner = Planner(flow)
    plain, sized = Goal("done"), Goal("done", slots={"size": "large"})
    assert planner.owed(plain) == frozenset() and planner.owed(sized) == {"size"}
    shortest = planner.plan_from_start(plain)
    asking = planner.plan_from_start(sized)
    assert shortest is not None and shortest.action == Action("intent", "no")
    assert asking is not None and asking.action == Action("intent", "yes")
    assert asking.slots == ("size",)
    # Once the detail is given, nothing is owed and the way is the shortest again.
    assert planner.plan("greet", "done", planner.start_env(sized), frozenset()) == shortest


def test_a_fixed_detail_no_step_asks_for_changes_no_way() -> None:
    flow = _delivery_or_collection()
    planner = Planner(flow)
    fixed = Goal("done", slots={"order_id": "48213"})  # a slot, but never collected here
    assert planner.owed(fixed) == frozenset()
    assert planner.plan_from_start(fixed) == planner.plan_from_start(Goal("done"))


def test_customers_whose_goal_fixes_a_detail_are_asked_for_it() -> None:
    flow = dataclasses.replace(
        _delivery_or_collection(), goals=(Goal("done", slots={"size": "large"}),)
    )
    factory = CustomerFactory(flow, BUILTIN_PERSONAS["plain"], 0)
    assistant = Assistant(flow)
    finished = 0
    for index in range(10):
        visited: list[str] = []
        reply = play(factory.customer(index), assistant, visited=visited)
        if reply.end_step == "done":  # a customer who gives up early is asked nothing
            finished += 1
            assert "ask_size" in visited
    assert finished >= 5
