"""Many big flows: generated flow files, and how pytest collects and runs a thousand of them.

The generator borrows everything a customer reads or says from one example flow (its
intents, test phrases, slots, off-topic examples, fallback and the wording of its
steps) and builds new steps around them: a tree of menus (steps routing a few of the
example's task intents, or a yes/no question) whose branches collect details, confirm
them and say things, and end in a completed end step or another menu. A flow has
exactly the number of steps asked for, and every branch is reachable, so every goal
is. The same (example, steps, seed) always gives the same file.

    python -m benchmarks scale [--quick]
"""

from __future__ import annotations

import itertools
import random
import re
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import EXAMPLES, SectionResult, Target, median, run_child

MIN_STEPS = 10
MAX_STEPS = 200
MAX_COLLECTION_SECONDS = 3.0
YES_NO = ("affirm", "deny")
KEPT_KEYS = ("settings", "intents", "slots", "off_topic", "fallback")


def load_examples() -> list[dict[str, Any]]:
    """The example flows as plain YAML data, sorted by file name."""
    found = []
    for path in sorted(EXAMPLES.glob("*.flow.yaml")):
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(data)
    return found


class _Wording:
    """What an example flow's own steps say, to reuse in generated steps."""

    def __init__(self, base: Mapping[str, Any]) -> None:
        steps: dict[str, dict[str, Any]] = base["steps"]
        self.greet = steps[base["start"]]
        self.collect = {s["collect"]: s for s in steps.values() if "collect" in s}
        self.questions = [s for s in steps.values()
                          if {r["intent"] for r in s.get("routes", ())} == set(YES_NO)]  # fmt: skip
        self.ends = [s["say"] for s in steps.values() if s.get("end") == "completed"]
        self.moves = [s["say"] for s in steps.values() if "next" in s and "collect" not in s]
        self.handoff = steps["handoff"]


class _Generator:
    def __init__(self, base: Mapping[str, Any], rng: random.Random) -> None:
        self.rng = rng
        self.words = _Wording(base)
        intents: dict[str, Any] = base["intents"]
        self.tasks = [n for n, i in intents.items() if "global" not in i and n not in YES_NO]
        self.yes_no = all(n in intents for n in YES_NO)
        self.slots = sorted(base.get("slots", {}))
        self.steps: dict[str, dict[str, Any]] = {}
        self.counter = 0

    def name(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}_{self.counter:03d}"

    def menu_intents(self) -> list[str]:
        rng = self.rng
        if len(self.tasks) >= 2 and (not self.yes_no or rng.random() < 0.7):
            return rng.sample(self.tasks, rng.randint(2, min(4, len(self.tasks))))
        if self.yes_no:
            return list(YES_NO)
        return self.tasks[:1]

    def menu(self, name: str, intents: Sequence[str], first: bool) -> dict[str, Any]:
        greet = self.words.greet
        if first or not self.yes_no or set(intents) != set(YES_NO):
            step: dict[str, Any] = {"say": greet["say"] if first else
                                    "Which of these can I help you with?"}  # fmt: skip
            buttons = {label: i for label, i in greet.get("buttons", {}).items() if i in intents}
            if buttons:
                step["buttons"] = buttons
            if "no_match" in greet:
                step["no_match"] = greet["no_match"]
        else:
            question = self.rng.choice(self.words.questions or [{"say": "Shall I go ahead?"}])
            step = {key: question[key] for key in ("say", "buttons", "no_match") if key in question}
        step["routes"] = []  # filled as the branches are built
        step["on_exhausted"] = "handoff"
        self.steps[name] = step
        return step

    def body(self) -> tuple[str, dict[str, Any]]:
        """One step inside a branch (its ``next`` is wired later)."""
        roll = self.rng.random()
        if self.slots and roll < 0.5:
            slot = self.rng.choice(self.slots)
            own = self.words.collect.get(slot, {})
            step = {"collect": slot, "say": own.get("say", f"What is your {slot}?"),
                    "on_exhausted": "handoff"}  # fmt: skip
            if "no_match" in own:
                step["no_match"] = own["no_match"]
            return self.name("ask"), step
        if self.yes_no and roll < 0.8:
            question = self.rng.choice(self.words.questions or [{"say": "Is that right?"}])
            step = {"say": question["say"], "routes": [], "on_exhausted": "handoff", "back": None}
            return self.name("confirm"), step
        return self.name("say"), {"say": self.rng.choice(self.words.moves or ["One moment."])}

    def build(self, total: int) -> dict[str, dict[str, Any]]:
        rng = self.rng
        free = total - 2  # the first menu and the hand-off step
        first = self.menu_intents()[:free]
        free -= len(first)
        self.menu("start", first, True)
        pending = deque(("start", intent) for intent in first)
        while pending:
            parent, intent = pending.popleft()
            extras = min(rng.randint(0, 2), free)
            free -= extras
            chain = [self.body() for _ in range(extras)]
            if free > 0 and (not pending or rng.random() < 0.45):
                name = self.name("menu")
                intents = self.menu_intents()[:free]
                free -= len(intents)
                self.menu(name, intents, False)
                pending.extend((name, i) for i in intents)
            else:
                name = self.name("done")
                say = rng.choice(self.words.ends or ["All done."])
                self.steps[name] = {"say": say, "end": "completed"}
            chain.append((name, self.steps[name]))
            self.steps[parent]["routes"].append({"intent": intent, "goto": chain[0][0]})
            self.wire(chain)
        self.steps["handoff"] = dict(self.words.handoff)
        assert len(self.steps) == total, (len(self.steps), total)
        return self.steps

    def wire(self, chain: list[tuple[str, dict[str, Any]]]) -> None:
        last_collect: str | None = None
        for (name, step), (following, _) in itertools.pairwise(chain):
            self.steps[name] = step
            if "collect" in step:
                step["next"] = following
                last_collect = name
            elif "back" in step:
                back = step.pop("back") or last_collect
                deny: dict[str, Any] = {"intent": "deny", "goto": back or following}
                if back:
                    deny["clear"] = [self.steps[back]["collect"]]
                step["routes"] = [{"intent": "affirm", "goto": following}, deny]
            else:
                step["next"] = following


def generated_flow(base: Mapping[str, Any], steps: int, seed: int,
                   flow_id: str | None = None) -> dict[str, Any]:  # fmt: skip
    """A flow of exactly ``steps`` steps (10 or more) in the words of example ``base``."""
    if steps < MIN_STEPS:
        raise ValueError(f"a generated flow has at least {MIN_STEPS} steps, not {steps}")
    generator = _Generator(base, random.Random(seed))
    built = generator.build(steps)
    data: dict[str, Any] = {
        "flow": flow_id or f"{base['flow']}-{steps}-{seed}",
        "description": f"Generated from {base['flow']}: {steps} steps.",
        "start": "start",
    }
    data.update({key: base[key] for key in KEPT_KEYS if key in base})
    data["settings"] = {**base.get("settings", {}), "max_turns": 40}
    data["steps"] = built
    return data


_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Writes a shared list twice rather than as an anchor and alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def flow_text(data: Mapping[str, Any]) -> str:
    return yaml.dump(dict(data), Dumper=_PlainDumper, sort_keys=False, allow_unicode=True,
                     width=100)


def size_of(index: int, files: int) -> int:
    """Sizes spread evenly over MIN_STEPS..MAX_STEPS, in a shuffled-looking order."""
    span = MAX_STEPS - MIN_STEPS
    return MIN_STEPS + (index * 7919) % (span + 1) if files > 1 else MIN_STEPS


def write_flows(folder: Path, files: int, per_folder: int = 100) -> list[Path]:
    """``files`` generated flow files in subfolders of ``folder``, sizes 10 to 200 steps."""
    bases = load_examples()
    paths = []
    for index in range(files):
        base = bases[index % len(bases)]
        steps = size_of(index, files)
        target = folder / f"group{index // per_folder:02d}" / f"gen{index:04d}.flow.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        flow_id = f"gen{index:04d}-{base['flow']}"
        target.write_text(flow_text(generated_flow(base, steps, index, flow_id)), "utf-8")
        paths.append(target)
    return paths


def check_flows(paths: Sequence[Path]) -> list[str]:
    """Error texts of the generated files that do not load (none expected)."""
    from pytest_persona.flow.loader import check_flow

    problems = []
    for path in paths:
        flow, diagnostics = check_flow(path)
        if flow is None:
            problems += [str(d) for d in diagnostics if d.severity == "error"][:3]
    return problems


_COLLECTED = re.compile(r"(\d+) tests? collected")


def section(quick: bool, repeats: int | None) -> SectionResult:
    import sys
    import tempfile

    runs = repeats or (1 if quick else 3)  # collections
    run_runs = repeats or 1  # whole runs take minutes at full size
    files = 20 if quick else 1000
    count = 10
    personas = 4
    result = SectionResult("scale", runs, {
        "files": files, "count": count, "personas": personas, "steps": [MIN_STEPS, MAX_STEPS],
        "run_repeats": run_runs})  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = Path(tmp)
        paths = write_flows(root / "flows", files)
        sample = paths if quick else paths[:: max(1, files // 50)]
        problems = check_flows(sample)
        if problems:
            raise RuntimeError("generated flows do not load:\n" + "\n".join(problems[:10]))
        steps = [len(yaml.safe_load(p.read_text("utf-8"))["steps"]) for p in sample]
        pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                  "--persona-no-history", "--persona-report", str(root / "report.html"),
                  "--persona-count", str(count), "flows"]  # fmt: skip
        timings: dict[str, list[tuple[float, float]]] = {"collect": [], "serial": [], "xdist": []}
        collected = 0
        for _ in range(runs):
            done = run_child([*pytest, "--co"], cwd=root)
            found = _COLLECTED.search(done.stdout)
            collected = int(found.group(1)) if found else 0
            timings["collect"].append((done.seconds, done.peak_mib))
        for _ in range(run_runs):
            for key, extra in (("serial", []), ("xdist", ["-n", "2"])):
                done = run_child([*pytest, *extra], cwd=root, ok_codes=(0, 1))
                timings[key].append((done.seconds, done.peak_mib))
    if collected != files * personas:
        raise RuntimeError(f"collected {collected} items, expected {files * personas}")
    seconds = {key: median([t for t, _ in rows]) for key, rows in timings.items()}
    peaks = {key: median([m for _, m in rows]) for key, rows in timings.items()}
    label = f"{files:,} files"
    ran = f" (median of {run_runs})" if run_runs != runs else ""
    result.add("collect_s", f"{label}: pytest --co (wall, start-up included)", seconds["collect"],
               "s", Target("<=", MAX_COLLECTION_SECONDS) if files >= 1000 else None)
    result.add("collect_peak_mib", f"{label}: peak memory, collection", peaks["collect"], "MiB")
    result.add("run_s", f"{label}: run, serial{ran}", seconds["serial"], "s")
    result.add("run_peak_mib", f"{label}: peak memory, serial run", peaks["serial"], "MiB")
    result.add("run_xdist_s", f"{label}: run, -n 2{ran}", seconds["xdist"], "s")
    result.add("xdist_peak_mib", f"{label}: peak memory of the largest -n 2 process",
               peaks["xdist"], "MiB")  # fmt: skip
    result.add("xdist_speedup", "speed-up of -n 2 over serial", seconds["serial"] /
               seconds["xdist"], "x")  # fmt: skip
    conversations = files * personas * count
    result.add("run_conversations_per_s", "serial run: conversations per second",
               conversations / seconds["serial"], "conv/s")  # fmt: skip
    result.details = {"items": collected, "conversations": conversations,
                      "sampled_steps": {"min": min(steps), "max": max(steps),
                                        "mean": sum(steps) / len(steps)},
                      "timings": timings}  # fmt: skip
    return result
