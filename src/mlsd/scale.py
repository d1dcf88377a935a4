"""Back-of-the-envelope estimates derived from a design's declared scale assumptions."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ._declared import Declared

SECONDS_PER_DAY = 86_400
ABSURD = 1e15  # no count, size or rate a design declares comes near this
DAYS_PER_YEAR = 365


def human(value: float, unit: str = "") -> str:
    """Return value with a metric suffix: 1.2 k, 3.4 M, 5 B; bytes use kB, MB, GB, TB, PB."""
    if unit == "B":
        for suffix in ("B", "kB", "MB", "GB", "TB", "PB", "EB"):
            if abs(value) < 1000 or suffix == "EB":
                return f"{_trim(value)} {suffix}"
            value /= 1000
    for divisor, suffix in ((1e12, " T"), (1e9, " B"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= divisor:
            return f"{_trim(value / divisor)}{suffix}" + (f" {unit}" if unit else "")
    return _trim(value) + (f" {unit}" if unit else "")


def _trim(value: float) -> str:
    """Return value with three significant figures and no trailing zeros."""
    if value == int(value) and abs(value) < 1000:
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


# field -> (label in write-ups, unit)
LABELS = {
    "daily_active_users": ("Daily active users", ""),
    "requests_per_user": ("Requests per user per day", ""),
    "peak_to_average": ("Peak-to-average traffic ratio", ""),
    "items": ("Items in the catalogue or index", ""),
    "embedding_dim": ("Embedding dimensions", ""),
    "bytes_per_dim": ("Bytes per dimension", ""),
    "compressed_bytes_per_item": ("Compressed code per item", "B"),
    "log_bytes_per_request": ("Logged bytes per request", "B"),
    "new_items_per_day": ("New items per day", ""),
    "bytes_per_new_item": ("Stored bytes per new item", "B"),
    "latency_ms": ("Model latency per request", "ms"),
    "concurrency_per_replica": ("Requests in flight per replica", ""),
    "target_utilisation": ("Target replica utilisation", "%"),
}


def _singular(noun: str) -> str:
    """Return a plural noun phrase in the singular, the simple English way (vehicles: vehicle)."""
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def figure_name(text: str) -> str:
    """Return how prose names a figure of text: snake case ("Scoring hosts" -> scoring_hosts)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class Estimate:
    """One derived figure with the formula that produced it."""

    name: str
    value: float
    unit: str
    formula: str
    key: str = ""  # how prose names it: {peak_qps}, {query_encoder.replicas}

    @property
    def text(self) -> str:
        return human(self.value, self.unit)

    @property
    def figure(self) -> str:
        """Return the figure's name in prose: its key, or its name in snake case."""
        return self.key or figure_name(self.name)


@dataclass(kw_only=True)
class Scale(Declared):
    """Scale assumptions; every figure the write-up shows is derived from these."""

    daily_active_users: float
    requests_per_user: float  # per day
    peak_to_average: float = 3.0
    items: float = 0  # items in the catalogue or index
    embedding_dim: int = 0
    bytes_per_dim: float = 4  # float32
    compressed_bytes_per_item: float = 0  # e.g. product-quantisation code size
    log_bytes_per_request: float = 0  # logged impression or event per request
    new_items_per_day: float = 0
    bytes_per_new_item: float = 0
    latency_ms: float = 0  # service time of one request on one replica
    concurrency_per_replica: float = 1
    target_utilisation: float = 0.6
    # What the counts are, in the plural, so a batch system can say "vehicles" and "panoramas".
    users: str = "users"
    requests: str = "requests"
    new_items: str = "items"

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("users", "requests", "new_items"):
            if not getattr(self, name).strip():
                raise self.error(f"'{name}' is empty: name what is counted, in the plural", name)
        for name, value in vars(self).items():
            if isinstance(value, (int, float)) and not math.isfinite(value):
                raise self.error(f"'{name}' is {value}: give a finite number", name)
            if isinstance(value, (int, float)) and value < 0:
                raise self.error(f"'{name}' is {value}: scale figures cannot be negative", name)
            if isinstance(value, (int, float)) and value > ABSURD:
                raise self.error(f"'{name}' is {value:g}: that is beyond any real system; "
                                 f"check the units", name)
        if self.daily_active_users <= 0 or self.requests_per_user <= 0:
            raise self.error("'daily_active_users' and 'requests_per_user' must be above 0")
        if self.peak_to_average < 1:
            raise self.error("'peak_to_average' must be at least 1 (peak is never below average)")
        if not 0 < self.target_utilisation <= 1:
            raise self.error("'target_utilisation' must be above 0 and at most 1")
        if self.concurrency_per_replica <= 0:
            raise self.error("'concurrency_per_replica' must be above 0")

    def assumptions(self) -> list[tuple[str, str]]:
        """Return the assumptions that bear on an estimate, as (label, value) rows."""
        skip = set()
        if not (self.items and self.embedding_dim):
            skip |= {"bytes_per_dim", "compressed_bytes_per_item"}
        if not self.latency_ms:
            skip |= {"concurrency_per_replica", "target_utilisation"}
        return [(self._label(label), f"{getattr(self, name):.0%}" if unit == "%"
                 else human(getattr(self, name), unit))
                for name, (label, unit) in LABELS.items()
                if name not in skip and getattr(self, name)]

    def _label(self, label: str) -> str:
        """Return a label in this design's own nouns ("Daily active vehicles", ...)."""
        requests = self.requests[:1].upper() + self.requests[1:]
        return (label.replace("Requests per user", f"{requests} per {_singular(self.users)}")
                .replace("per request", f"per {_singular(self.requests)}")
                .replace("users", self.users).replace("New items", f"New {self.new_items}")
                .replace("new item", f"new {_singular(self.new_items)}"))

    @property
    def average_qps(self) -> float:
        return self.daily_active_users * self.requests_per_user / SECONDS_PER_DAY

    @property
    def peak_qps(self) -> float:
        return self.average_qps * self.peak_to_average

    def estimates(self) -> list[Estimate]:
        """Return every figure these assumptions support, each with its formula."""
        e = [self._traffic(), self._peak()]
        if self.log_bytes_per_request:
            e.append(self._logs())
        if self.new_items_per_day and self.bytes_per_new_item:
            e.append(self._content())
        if self.items and self.embedding_dim:
            e.append(self._index_raw())
            if self.compressed_bytes_per_item:
                e.append(self._index_compressed())
        if self.latency_ms:
            e.append(self._replicas())
        return e

    def _traffic(self) -> Estimate:
        return Estimate(
            "Average load", self.average_qps, "QPS", key="average_qps", formula=
            f"{human(self.daily_active_users)} {self.users} × {human(self.requests_per_user)} "
            f"{self.requests}/day ÷ 86,400 s")

    def _peak(self) -> Estimate:
        return Estimate(
            "Peak load", self.peak_qps, "QPS", key="peak_qps", formula=
            f"{human(self.average_qps)} QPS × {human(self.peak_to_average)} peak-to-average")

    def _logs(self) -> Estimate:
        total = (self.daily_active_users * self.requests_per_user
                 * self.log_bytes_per_request * DAYS_PER_YEAR)
        return Estimate(
            "Request logs per year", total, "B",
            f"{human(self.daily_active_users)} {self.users} × {human(self.requests_per_user)} "
            f"{self.requests}/day × {human(self.log_bytes_per_request, 'B')} × 365 days")

    def _content(self) -> Estimate:
        total = self.new_items_per_day * self.bytes_per_new_item * DAYS_PER_YEAR
        return Estimate(
            "New content per year", total, "B",
            f"{human(self.new_items_per_day)} {self.new_items}/day × "
            f"{human(self.bytes_per_new_item, 'B')} × 365 days")

    def _index_raw(self) -> Estimate:
        total = self.items * self.embedding_dim * self.bytes_per_dim
        return Estimate(
            "Embedding index, raw", total, "B",
            f"{human(self.items)} items × {self.embedding_dim} dims × "
            f"{human(self.bytes_per_dim)} bytes")

    def _index_compressed(self) -> Estimate:
        total = self.items * self.compressed_bytes_per_item
        return Estimate(
            "Embedding index, compressed", total, "B",
            f"{human(self.items)} items × {human(self.compressed_bytes_per_item, 'B')} code")

    def _replicas(self) -> Estimate:
        per_replica = self.concurrency_per_replica * 1000 / self.latency_ms
        count = math.ceil(self.peak_qps / (per_replica * self.target_utilisation))
        return Estimate(
            "Serving replicas at peak", count, "replicas",
            f"⌈{human(self.peak_qps)} QPS ÷ ({human(self.concurrency_per_replica)} in flight × "
            f"1000 ms ÷ {human(self.latency_ms)} ms × {self.target_utilisation:.0%} "
            f"utilisation)⌉")
