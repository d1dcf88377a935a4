"""Capacity: a row for every fleet, job and store a design's components declare, with its
formula, after the traffic and storage figures of its Scale.

Fleets are sized from the whole time a request spends on their host (every component that
shares the host), not from one model's latency.
"""
from __future__ import annotations

import math

from .components import Component
from .model import CaseStudy
from .scale import SECONDS_PER_DAY, Estimate, Scale, figure_name, human

DAYS_PER_YEAR = 365


def capacity(case: CaseStudy) -> list[Estimate]:
    """Return every sized figure of a design: its scale's, then its components'."""
    scale = case.scale
    rows = scale.estimates() if scale else []
    components = case.all_components()
    if scale:
        rows += fleets(components, scale)
    rows += [row for c in components for row in jobs(c) + stores(c)]
    return rows


def fleets(components: list[Component], scale: Scale) -> list[Estimate]:
    """Return the replicas at peak of each online fleet: a host and the components on it."""
    hosts: dict[str, list[Component]] = {}
    for c in components:
        if c.in_flight and c.latency_ms:
            hosts.setdefault(c.host or c.label, []).append(c)
    return [_fleet(host, members, scale) for host, members in hosts.items()]


def _fleet(host: str, members: list[Component], scale: Scale) -> Estimate:
    busy_ms = sum(c.latency_ms * c.calls for c in members)
    in_flight = max(c.in_flight for c in members)
    count = math.ceil(scale.peak_qps * busy_ms / 1000 / (in_flight * scale.target_utilisation))
    hardware = members[0].hardware
    time = " + ".join(f"{human(c.latency_ms)} ms" + (f" × {human(c.calls)}" if c.calls != 1
                                                      else "") for c in members)
    formula = (f"⌈{human(scale.peak_qps)} QPS × ({time}) ÷ ({human(in_flight)} in flight × "
               f"{scale.target_utilisation:.0%} utilisation)⌉")
    unit = ("GPU replica" if hardware == "GPU" else "replica") + "s" * (count != 1)
    return Estimate(f"{host}: replicas at peak", count, unit, formula,
                    key=f"{figure_name(host)}.replicas")


def jobs(c: Component) -> list[Estimate]:
    """Return a batch or streaming component's machine-hours a day."""
    if not (c.items_per_day and c.per_second) or c.in_flight:
        return []
    hours = c.items_per_day / c.per_second / 3600
    streaming = math.ceil(c.items_per_day / SECONDS_PER_DAY / c.per_second)
    return [Estimate(f"{c.label}: {c.hardware}-hours a day", hours, f"{c.hardware}-hours",
                     f"{human(c.items_per_day)} items/day ÷ {human(c.per_second)} items/s "
                     f"÷ 3,600 s", key=f"{c.name}.hours"),
            Estimate(f"{c.label}: {c.hardware}s kept busy on average", streaming,
                     c.hardware + "s" * (streaming != 1),
                     f"⌈{human(c.items_per_day)} items/day ÷ 86,400 s ÷ "
                     f"{human(c.per_second)} items/s⌉", key=f"{c.name}.machines")]


def stores(c: Component) -> list[Estimate]:
    """Return a store's size now and its growth a year."""
    if not c.bytes_per_item:
        return []
    rows = []
    if c.items:
        rows.append(Estimate(f"{c.label}: size", c.items * c.bytes_per_item, "B",
                             f"{human(c.items)} items × {human(c.bytes_per_item, 'B')}",
                             key=f"{c.name}.size"))
    if c.items_per_day and not c.per_second:
        rows.append(Estimate(f"{c.label}: growth a year",
                             c.items_per_day * c.bytes_per_item * DAYS_PER_YEAR, "B",
                             f"{human(c.items_per_day)} items/day × "
                             f"{human(c.bytes_per_item, 'B')} × 365 days",
                             key=f"{c.name}.growth"))
    return rows

