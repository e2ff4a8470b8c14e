"""The benchmark suite: run sections, print one table, write the figures as JSON.

    python -m benchmarks [SECTION ...] [--quick] [--json PATH] [--repeats N]
    python benchmarks/run.py ...        (the same)

Sections: matcher, customers, plugin, scale, batch, history (all by default). Every
figure is a median of several runs (the table says how many); a figure with a target
is marked ``ok`` or ``MISS``. ``--quick`` runs each section at a tiny size so CI can
keep the suite working; its figures are not comparable with the targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.common import SectionResult

# name: (module, function, what it measures)
SECTIONS: dict[str, tuple[str, str, str]] = {
    "matcher": ("benchmarks.sections", "matcher",
                "one reply() against the bare rapidfuzz calls it makes"),
    "customers": ("benchmarks.sections", "customers",
                  "conversations per second per persona; where the time goes"),
    "plugin": ("benchmarks.sections", "plugin",
               "pytest + plugin against the same simulations through the Python API"),
    "scale": ("benchmarks.scale", "section",
              "1,000 generated flow files: collection, run, -n 2, peak memory"),
    "batch": ("benchmarks.batch_size", "section",
              "one flow at 10 to 5,000 conversations: time and peak memory"),
    "history": ("benchmarks.sections", "history",
                "history store and report with 10,000 stored runs"),
}  # fmt: skip
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"

SectionFunction = Callable[[bool, "int | None"], "SectionResult"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="pytest-persona benchmark suite",
        epilog="sections: " + "; ".join(f"{k}: {v[2]}" for k, v in SECTIONS.items()),
    )
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"sections to run, of: {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="every section at a tiny size (CI smoke run)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help=f"where to write the figures (default: {DEFAULT_JSON})")
    parser.add_argument("--repeats", type=int, default=None, metavar="N",
                        help="runs per median (default: per section, 3 to 7; 1 to 3 quick)")
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    parser.add_argument("--markdown-from", type=Path, default=None, metavar="JSON",
                        help="print the figures of a results file as a Markdown table "
                        "(for benchmarks/README.md) and exit")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}; "
                     f"choose from {', '.join(SECTIONS)}")
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be 1 or more")
    return args


def run_section(name: str, quick: bool, repeats: int | None) -> dict[str, Any]:
    module, function, _ = SECTIONS[name]
    measure: SectionFunction = getattr(importlib.import_module(module), function)
    start = time.perf_counter()
    result = measure(quick, repeats)
    result.seconds = time.perf_counter() - start
    return result.as_json()


def table(sections: dict[str, dict[str, Any]], style: str = "simple") -> str:
    from tabulate import tabulate

    from benchmarks.common import Target, format_value

    rows: list[list[str]] = []
    for name, found in sections.items():
        if "error" in found:
            rows.append([name, "ERROR: " + found["error"].splitlines()[-1][:80], "", "", ""])
            continue
        heading = f"{name} (median of {found['repeats']})"
        for figure in found["figures"].values():
            target = figure["target"]
            bound = Target(target["op"], target["bound"]) if target else None
            mark = "" if figure["passed"] is None else ("ok" if figure["passed"] else "MISS")
            rows.append([heading, figure["label"], format_value(figure["value"], figure["unit"]),
                         bound.describe(figure["unit"]) if bound else "", mark])
            heading = ""
    return tabulate(rows, headers=["section", "figure", "value", "target", ""],
                    disable_numparse=True, tablefmt=style)  # fmt: skip


def markdown(report: dict[str, Any]) -> str:
    """A results file as README text: the machine, then the table."""
    kind = "quick run" if report.get("quick") else "full run"
    return (f"{kind} of {report['created']}; {machine_line(report['machine'])}\n\n"
            + table(report["sections"], "github"))


def machine_line(machine: dict[str, Any]) -> str:
    load = ", ".join(str(x) for x in machine.get("load_average", []))
    return (f"machine: {machine['cpu']}, {machine['cores']} cores "
            f"({machine['usable_cores']} usable), Python {machine['python']}, "
            f"{machine['platform']}; load average {load or 'n/a'}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for name, (_, _, what) in SECTIONS.items():
            print(f"{name:10s} {what}")
        return 0
    if args.markdown_from is not None:
        print(markdown(json.loads(args.markdown_from.read_text(encoding="utf-8"))))
        return 0
    import pytest_persona
    from benchmarks.common import machine_info

    chosen = args.sections or list(SECTIONS)
    report: dict[str, Any] = {
        "suite": "pytest-persona benchmarks",
        "version": pytest_persona.__version__,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "argv": list(sys.argv[1:] if argv is None else argv),
        "machine": machine_info(),
        "sections": {},
    }
    print(machine_line(report["machine"]))
    if args.quick:
        print("quick run: tiny sizes; the figures are not comparable with the targets")
    failed = False
    for name in chosen:
        print(f"running {name}: {SECTIONS[name][2]} ...", flush=True)
        try:
            report["sections"][name] = run_section(name, args.quick, args.repeats)
        except Exception:  # one broken section must not hide the others' figures
            failed = True
            report["sections"][name] = {"error": traceback.format_exc()}
            print(traceback.format_exc(), file=sys.stderr)
    missed = [f"{name}.{key}" for name, found in report["sections"].items()
              for key, figure in found.get("figures", {}).items() if figure["passed"] is False]
    report["missed"] = missed
    print()
    print(table(report["sections"]))
    print(f"\ntargets missed: {', '.join(missed) if missed else 'none'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    if not __package__:  # run as ``python benchmarks/run.py``: make ``benchmarks`` importable
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
