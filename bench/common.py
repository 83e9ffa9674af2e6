"""Shared helpers of bench/run: figures beside their references, wrk, timing, memory."""

from __future__ import annotations

import collections
import json
import re
import resource
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Figure:
    """One measured value set beside the reference measured in the same run."""

    name: str
    value: float | None
    unit: str
    reference: str
    reference_value: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference_value:
            return None
        return round(self.value / self.reference_value, 3)

    def as_json(self) -> dict:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


def _number(value) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def markdown_table(figures: list[Figure]) -> str:
    lines = ["| figure | value | reference | reference value | ratio |", "|---|---:|---|---:|---:|"]
    for figure in figures:
        name = figure.name + (f" ({figure.note})" if figure.note else "")
        lines.append(
            f"| {name} | {_number(figure.value)} {figure.unit} | {figure.reference} | "
            f"{_number(figure.reference_value)} {figure.unit if figure.reference_value is not None else ''} | "
            f"{_number(figure.ratio) if figure.ratio is not None else '—'} |"
        )
    return "\n".join(lines) + "\n"


def write_results(figures: list[Figure], header: str) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    json_path = RESULTS / "latest.json"
    json_path.write_text(
        json.dumps([f.as_json() for f in figures], indent=2, ensure_ascii=False) + "\n"
    )
    md_path = RESULTS / "latest.md"
    md_path.write_text(header + "\n\n" + markdown_table(figures))
    return json_path, md_path


# -- wrk ---------------------------------------------------------------------------------------
@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int
    # wrk's socket errors by kind, those above 0 ({"read": 1}: a connection closed mid-answer).
    error_kinds: dict = field(default_factory=dict)

    def errors_in_words(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.error_kinds.items())
        return f"{self.non_2xx} non-2xx, socket errors: " + (kinds or "none")

    @classmethod
    def combined(cls, runs: list[LoadResult]) -> LoadResult:
        """Slices of equal length as one run: the mean rate, the median slice's percentiles
        (percentiles of separate runs cannot be merged exactly), every error."""
        return cls(
            statistics.fmean(r.requests_per_second for r in runs),
            statistics.median(r.p50_ms for r in runs),
            statistics.median(r.p99_ms for r in runs),
            sum(r.errors for r in runs),
            sum(r.non_2xx for r in runs),
            dict(sum((collections.Counter(r.error_kinds) for r in runs), collections.Counter())),
        )


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match[1]) * _UNITS[match[2]]


def wrk(url: str, seconds: float, connections: int = 64, threads: int = 2) -> LoadResult:
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    completed = subprocess.run(
        [binary, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", url],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    out = completed.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])
    kinds = {kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", out)}
    non_2xx = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    error_kinds = {kind: n for kind, n in kinds.items() if n}
    return LoadResult(rps, p50, p99, sum(kinds.values()), non_2xx, error_kinds)


# -- timing and memory -------------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the most resident memory the process has used (its peak), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_measured(command: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command to completion; returns (seconds, peak RSS MiB of it, completed).

    The peak comes from a small wrapper process, so that only this command's children count.
    """
    wrapper = (
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(json.loads(sys.argv[1]), stdout=subprocess.DEVNULL if sys.argv[2] == '-' "
        "else open(sys.argv[2], 'wb'));"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
    )
    output = kwargs.pop("stdout_path", "-")
    started = time.perf_counter()
    completed = subprocess.run(
        [subprocess.sys.executable, "-c", wrapper, json.dumps(command), str(output)],
        capture_output=True, text=True, **kwargs,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak = (
        int(completed.stdout.strip().splitlines()[-1]) / 1024 if completed.stdout.strip() else None
    )
    return seconds, peak, completed


def own_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
