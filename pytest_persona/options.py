"""Command-line and ini options, read once into a frozen ``Settings``.

Each value is checked where it is read: a bad command-line value is an argparse type
error and a bad ini value a ``pytest.UsageError``, both ending the run with exit code 4
and a message naming the option, never a traceback halfway through a session.
"""

from __future__ import annotations

import argparse
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pytest

from .flow.model import Limit, Metric, Thresholds
from .output_paths import Inputs, Output, first_problem, input_pattern, same_file
from .rng import draw_seed as random_seed
from .rng import parse_seed
from .selection import DEFAULT_FLOW_PATTERNS, DEFAULT_PERSONA_FILE_PATTERNS

if TYPE_CHECKING:
    from .gates import CompareRule

T = TypeVar("T")
BaselineMissing = Literal["warn", "fail"]

DEFAULT_COUNTS = ("10",)
DEFAULT_HISTORY = ".persona/history.db"
DEFAULT_REPORT = ".persona/report.html"
# Where a random seed travels to pytest-xdist workers (``config.workerinput``).
WORKER_SEED_KEY = "persona_seed"
# ... and the first run number that is not an earlier run (see SessionHistory.cutoff).
WORKER_HISTORY_KEY = "persona_history_before_run"

PERSONA_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
BASELINE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Command-line and ini name of each score's limit, and the kind of limit it is.
LIMIT_OPTIONS: tuple[tuple[Metric, str], ...] = (
    ("completion", "min_completion"),
    ("fallback_rate", "max_fallback_rate"),
    ("off_topic_recovery", "min_off_topic_recovery"),
)


@dataclass(frozen=True)
class Settings:
    """Everything the plugin reads from the command line and the ini file."""

    rootdir: Path
    flow_patterns: tuple[str, ...]
    persona_file_patterns: tuple[str, ...]
    counts: tuple[int, ...]
    # Explicit persona selection (names or persona file paths); empty: the defaults.
    personas: tuple[str, ...]
    seed: int
    seed_was_random: bool
    cli_thresholds: Thresholds
    ini_thresholds: Thresholds
    history_path: Path | None  # None with --persona-no-history
    # Inside the rootdir or the folder pytest started in: missing folders above it are made.
    history_in_project: bool
    report_path: Path
    markdown_path: Path | None
    compare_fail: tuple[CompareRule, ...]
    save_baseline: str | None
    baseline: str | None
    baseline_missing: BaselineMissing


# --- value parsers: plain functions raising ValueError, shared by argparse and ini ---------


def parse_counts(text: str) -> tuple[int, ...]:
    """``"10"`` or ``"10,25"``: batch sizes, each a positive whole number."""
    counts: list[int] = []
    for part in text.replace(",", " ").split():
        try:
            value = int(part)
        except ValueError:
            raise ValueError(f"batch size must be a whole number, got {part!r}") from None
        if value < 1:
            raise ValueError(f"batch size must be 1 or more, got {value}")
        counts.append(value)
    if not counts:
        raise ValueError("expected one or more batch sizes, like 10 or 10,25,50")
    return tuple(counts)


def parse_fraction(text: str) -> float:
    """A score limit: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"expected a number from 0 to 1, got {text!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"expected a number from 0 to 1, got {text!r}")
    return value


def parse_persona_ref(text: str) -> str:
    """A persona name (built-in or custom) or the path of a ``*.persona.yaml`` file."""
    value = text.strip()
    if is_persona_path(value):
        return value
    if not PERSONA_NAME.match(value):
        raise ValueError(
            f"{text!r} is neither a persona name ([a-z0-9][a-z0-9_-]*) nor a .persona.yaml file"
        )
    return value


def parse_persona_refs(text: str) -> tuple[str, ...]:
    """One or more comma-separated persona names or persona file paths."""
    refs = tuple(parse_persona_ref(part) for part in text.split(",") if part.strip())
    if not refs:
        raise ValueError("expected a persona name, like impatient")
    return refs


def is_persona_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml"))


def parse_compare_gate(text: str) -> CompareRule:
    """``completion:0.05`` or ``fallback_rate:5%``: a score and the largest worsening allowed.

    The rule's parser lives with the gates; it is imported only when the option is used.
    """
    from .gates import parse_compare_rule

    return parse_compare_rule(text)


def parse_baseline_name(text: str) -> str:
    if not BASELINE_NAME.match(text):
        raise ValueError(f"baseline name must be letters, digits, '.', '_' or '-', got {text!r}")
    return text


def parse_baseline_missing(text: str) -> BaselineMissing:
    value = text.strip().lower()
    if value == "warn":
        return "warn"
    if value == "fail":
        return "fail"
    raise ValueError(f"expected 'warn' or 'fail', got {text!r}")


def _argparse_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """Wraps a parser so argparse reports its message as a usage error."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = parse.__name__.removeprefix("parse_")
    return convert


# --- registration -------------------------------------------------------------------------


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("persona", "simulated customer personas (pytest-persona)")
    group.addoption(
        "--persona-count", action="append", type=_argparse_type(parse_counts), metavar="N[,N]",
        help="conversations per persona batch; repeatable or comma-separated "
        "(default: ini persona_counts, else 10)",
    )
    group.addoption(
        "--persona", action="append", dest="persona", type=_argparse_type(parse_persona_refs),
        metavar="NAME", help="run only this persona (built-in or custom name, or a "
        ".persona.yaml path); repeatable or comma-separated (default: the four built-ins "
        "and custom personas)",
    )
    group.addoption(
        "--persona-seed", type=_argparse_type(parse_seed), default=None, metavar="N|random",
        help="seed of the simulated conversations (default: ini persona_seed, else 0); "
        "'random' draws one and prints it",
    )
    for metric, name in LIMIT_OPTIONS:
        group.addoption(
            f"--persona-{name.replace('_', '-')}", dest=f"persona_{name}",
            type=_argparse_type(parse_fraction), default=None, metavar="X",
            help=f"{metric} limit (0..1) for flows that set none",
        )
    group.addoption("--persona-history", default=None, metavar="PATH",
                    help=f"history database (default: ini persona_history, else {DEFAULT_HISTORY})")
    group.addoption("--persona-no-history", action="store_true", default=False,
                    help="neither read nor write the history database")
    group.addoption("--persona-report", default=None, metavar="PATH",
                    help=f"HTML report to write (default: {DEFAULT_REPORT})")
    group.addoption("--persona-markdown", default=None, metavar="PATH",
                    help="also write a Markdown summary here")
    group.addoption(
        "--persona-compare-fail", action="append", type=_argparse_type(parse_compare_gate),
        default=None, metavar="METRIC:DROP",
        help="fail an item whose METRIC got worse by more than DROP (0.05 or 5%%) since the "
        "previous run or the --persona-baseline; METRIC is completion, fallback_rate or "
        "off_topic_recovery; repeatable",
    )
    group.addoption("--persona-save", type=_argparse_type(parse_baseline_name), default=None,
                    metavar="NAME", help="save this run's scores as baseline NAME")
    group.addoption("--persona-baseline", type=_argparse_type(parse_baseline_name),
                    default=None, metavar="NAME",
                    help="compare against baseline NAME instead of the previous run")

    parser.addini("persona_files", "flow file name patterns (fnmatch)", type="args",
                  default=list(DEFAULT_FLOW_PATTERNS))
    parser.addini("persona_persona_files",
                  "custom persona file patterns: a bare name pattern is looked for next to each "
                  "flow and in its parent folders up to the rootdir; a pattern with '/' is a "
                  "glob relative to the rootdir", type="args",
                  default=list(DEFAULT_PERSONA_FILE_PATTERNS))
    parser.addini("persona_counts", "default batch sizes, e.g. '10 25' or '10,25'",
                  type="args", default=list(DEFAULT_COUNTS))
    parser.addini("persona_personas", "default persona selection (names or persona files)",
                  type="args", default=[])
    parser.addini("persona_seed", "default seed (a number or 'random')", type="string",
                  default="0")
    for metric, name in LIMIT_OPTIONS:
        parser.addini(f"persona_{name}", f"project-wide {metric} limit (0..1)", type="string",
                      default="")
    parser.addini("persona_history", "history database, relative to the rootdir",
                  type="string", default=DEFAULT_HISTORY)
    parser.addini("persona_baseline_missing",
                  "when the --persona-baseline named does not exist or ran with another "
                  "seed: warn or fail",
                  type="string", default="warn")


# --- reading ------------------------------------------------------------------------------


def read_settings(config: pytest.Config, draw_seed: Callable[[], int] | None = None) -> Settings:
    """The session's settings; raises ``pytest.UsageError`` for a bad ini value.

    A pytest-xdist worker takes the seed its controller chose, so ``random`` draws once.
    """
    rootdir = config.rootpath
    invocation = config.invocation_params.dir
    counts = _flatten(config.getoption("persona_count")) or list(
        _ini(config, "persona_counts", lambda v: parse_counts(" ".join(v)))
    )
    cli_personas = _flatten(config.getoption("persona"))
    if cli_personas:
        personas = [_absolute_ref(ref, invocation) for ref in cli_personas]
    else:
        ini_refs = " ".join(_ini_list(config, "persona_personas")).replace(",", " ").split()
        personas = [
            _absolute_ref(_ini(config, "persona_personas", parse_persona_ref, ref), rootdir)
            for ref in ini_refs
        ]
    seed, was_random = _seed(config, draw_seed or random_seed)
    flow_patterns = tuple(p for p in _ini_list(config, "persona_files") if p.strip())
    if not flow_patterns:
        # Otherwise every flow is silently left out: "no tests ran", or, beside other
        # tests, a green run that checked no flow at all.
        raise pytest.UsageError(
            "ini option persona_files: no flow file patterns, so no flow file would be "
            f"collected; leave the option out for the default ({' '.join(DEFAULT_FLOW_PATTERNS)})"
        )
    persona_file_patterns = tuple(_ini_list(config, "persona_persona_files"))
    history, report, markdown = _output_paths(config, (*flow_patterns, *persona_file_patterns))
    return Settings(
        rootdir=rootdir,
        flow_patterns=flow_patterns,
        persona_file_patterns=persona_file_patterns,
        counts=tuple(dict.fromkeys(counts)),
        personas=tuple(dict.fromkeys(personas)),
        seed=seed,
        seed_was_random=was_random,
        cli_thresholds=_thresholds(lambda name: config.getoption(f"persona_{name}")),
        ini_thresholds=_thresholds(
            lambda name: _ini(config, f"persona_{name}", _optional_fraction)
        ),
        history_path=history,
        history_in_project=history is not None and _inside(history, (rootdir, invocation)),
        report_path=report,
        markdown_path=markdown,
        compare_fail=tuple(config.getoption("persona_compare_fail") or ()),
        save_baseline=config.getoption("persona_save"),
        baseline=config.getoption("persona_baseline"),
        baseline_missing=_ini(config, "persona_baseline_missing", parse_baseline_missing),
    )


def _output_paths(
    config: pytest.Config, input_patterns: Sequence[str]
) -> tuple[Path | None, Path, Path | None]:
    """The history (None when off), HTML report and Markdown summary paths.

    A usage error, before anything runs, for an output that would destroy an input: the
    history (even with --persona-no-history: the file is still the user's), a flow or
    persona file. Also for pytest's --junitxml and the job summary, written at the end.
    """
    rootdir, invocation = config.rootpath, config.invocation_params.dir
    cli_history = config.getoption("persona_history")
    ini_history = str(config.getini("persona_history"))
    history = invocation / cli_history if cli_history else rootdir / ini_history
    named = (f"--persona-history {cli_history}" if cli_history
             else f"ini persona_history {ini_history}")
    inputs = Inputs(history, input_patterns, rootdir)
    given_report = config.getoption("persona_report")
    given_markdown = config.getoption("persona_markdown")
    outputs = [
        Output("--persona-report", given_report, invocation / given_report, "report.html")
        if given_report
        else Output("--persona-report", DEFAULT_REPORT, rootdir / DEFAULT_REPORT),
    ]
    if given_markdown:
        outputs.append(
            Output("--persona-markdown", given_markdown, invocation / given_markdown, "summary.md")
        )
    for option, given in (("--junitxml", getattr(config.option, "xmlpath", None)),
                          ("$GITHUB_STEP_SUMMARY", os.environ.get("GITHUB_STEP_SUMMARY"))):
        if given:
            outputs.append(Output(option, given, invocation / given))
    problem = first_problem(outputs, inputs)
    if not given_report and same_file(history, outputs[0].path):
        # The report the user never named is not theirs to rename: the history is.
        instead = os.path.join(os.path.dirname(cli_history or ini_history), "history.db")
        problem = (f"{named}: that is where the HTML report goes ({DEFAULT_REPORT}, the "
                   "default of --persona-report), and writing it would destroy the history; "
                   f"name another file, such as {instead}, or give --persona-report")
    pattern = input_pattern(history, inputs)
    if problem is None and pattern is not None:
        problem = (f"{named}: that is named like a flow or persona file ({pattern}); "
                   "name another file, such as history.db")
    if problem is not None:
        raise pytest.UsageError(f"pytest-persona: {problem}")
    if config.getoption("persona_no_history"):
        history = None
    return history, outputs[0].path, outputs[1].path if given_markdown else None


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    """Whether ``path``, links resolved, lies in one of ``folders``."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder.resolve()) for folder in folders)


def _absolute_ref(ref: str, base: Path) -> str:
    """Persona file paths are kept absolute: the command line's are relative to where
    pytest was started, the ini file's to the rootdir."""
    return str(base / ref) if is_persona_path(ref) else ref


def _seed(config: pytest.Config, draw: Callable[[], int]) -> tuple[int, bool]:
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if workerinput is not None and WORKER_SEED_KEY in workerinput:
        return int(workerinput[WORKER_SEED_KEY]), False
    given: int | Literal["random"] | None = config.getoption("persona_seed")
    chosen = _ini(config, "persona_seed", parse_seed) if given is None else given
    if chosen == "random":
        return draw(), True
    return chosen, False


def _thresholds(read: Callable[[str], float | None]) -> Thresholds:
    limits: dict[str, Limit] = {}
    for metric, name in LIMIT_OPTIONS:
        value = read(name)
        if value is not None:
            limits[metric] = Limit(limit=value)
    return Thresholds(**limits)


def _optional_fraction(text: str) -> float | None:
    return parse_fraction(text) if text.strip() else None


def _ini_list(config: pytest.Config, name: str) -> list[str]:
    value = config.getini(name)
    return [str(item) for item in value] if isinstance(value, list) else str(value).split()


def _ini(config: pytest.Config, name: str, parse: Callable[[Any], T], value: Any = None) -> T:
    raw = config.getini(name) if value is None else value
    try:
        return parse(raw)
    except ValueError as error:
        raise pytest.UsageError(f"ini option {name}: {error}") from None


def _flatten(groups: Sequence[Sequence[T]] | None) -> list[T]:
    return [value for group in groups or () for value in group]
