"""PLP's section dashboard side by side with Kolibri 0.19.5's coach class summary, interleaved in one run.

    createdb plp_dashboard_bench   # any PostgreSQL database; the script migrates it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_dashboard_bench REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/dashboard_vs_kolibri.py      # --runs 3 --n 30 --learners 100 --competencies 60

Both are served over loopback HTTP as in production and both read PostgreSQL: PLP by gunicorn (3 sync
workers, as the image) with Redis as the cache, seeded by `bench/dashboard_bench.setup` (100 learners × 60
competencies, the demo's shape of flags); Kolibri by its own server (`kolibri start`), provisioned by
`bench/kolibri_peer.py` with the same class shape (100 learners, a lesson of 60 exercises, logs for each
exercise a learner started). Kolibri is installed into bench/.kolibri-venv on first use; it is never a
project dependency.

Kolibri computes its summary fresh on every request, so the fair comparison is PLP's page right after a
learning event (that student's row rebuilt, the rest from the cache): in a class where students are working
that is what a teacher gets. Each round, in turn: a learning event lands, PLP's page (rebuilt); PLP's page
again (unchanged); another event, PLP's JSON API (compact shape); Kolibri's class summary. Prints per run
and the medians over runs of each run's median and p90, the ratio Kolibri / PLP, and the bytes on the wire.
"""

import argparse
import gzip
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import dashboard_bench as plp_bench  # noqa: E402  (sets up Django for PLP's side)
from kolibri_peer import Kolibri  # noqa: E402


def _wire(port: int, path: str, cookie: str) -> tuple[float, int, int, int]:
    """One GET as a browser sends it: (ms, status, bytes on the wire, bytes uncompressed)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(plp_bench.HOST, port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    elapsed = (time.perf_counter() - started) * 1000
    raw = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
    return elapsed, response.status, len(body), len(raw)


def _p90(values: list[float]) -> float:
    return plp_bench.percentile(values, 0.90)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=30, help="rounds per run")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--competencies", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    section, teacher = plp_bench.setup(students=args.learners, competencies=args.competencies)
    events = plp_bench.LearningEvents(section)
    urls = plp_bench._urls(section)
    print(f"PLP seeded in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    peer = Kolibri(learners=args.learners, exercises=args.competencies)
    peer.provision()
    print(f"Kolibri provisioned in {time.perf_counter() - started:.0f} s")

    port = plp_bench._free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "plp.wsgi", "-w", str(args.workers), "-b",
         f"{plp_bench.HOST}:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "ALLOWED_HOSTS": plp_bench.HOST},
    )  # fmt: skip
    try:
        peer.start()
        for _ in range(150):
            try:
                plp_bench._http(port, "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        cookie = plp_bench._log_in(port, teacher.email)
        api = urls["api"] + "?shape=compact"
        for _ in range(5):  # warm every worker and both servers
            _wire(port, urls["page"], cookie)
            _wire(port, api, cookie)
            peer.fetch_summary()
        load = os.getloadavg()[0]
        print(f"load average at start: {load:.1f}")
        results: dict[str, list[tuple[float, float]]] = {}
        sizes = {}
        for run in range(args.runs):
            times: dict[str, list[float]] = {}
            for _ in range(args.n):
                events.land()
                ms, status, wire, raw = _wire(port, urls["page"], cookie)
                assert status == 200, status
                times.setdefault("PLP page after a learning event", []).append(ms)
                sizes["PLP page"] = (wire, raw)
                ms, status, wire, raw = _wire(port, urls["page"], cookie)
                times.setdefault("PLP page unchanged", []).append(ms)
                events.land()
                ms, status, wire, raw = _wire(port, api, cookie)
                assert status == 200, status
                times.setdefault("PLP JSON API (compact) after an event", []).append(ms)
                sizes["PLP JSON API (compact)"] = (wire, raw)
                ms, raw, wire = peer.fetch_summary()
                times.setdefault("Kolibri class summary", []).append(ms)
                sizes["Kolibri class summary"] = (wire, raw)
            line = []
            for name, values in times.items():
                results.setdefault(name, []).append((statistics.median(values), _p90(values)))
                line.append(f"{name.split(' (')[0]} {statistics.median(values):.0f}")
            print(f"run {run + 1}: " + ", ".join(line) + " (median ms)")
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
        print(f"\n{args.learners} learners × {args.competencies}: medians of {args.runs} runs (ms)")
        print(f"{'measure':42} {'median':>8} {'p90':>8} {'Kolibri/PLP median':>19} {'p90':>6}")
        kolibri = results["Kolibri class summary"]
        k_med = statistics.median(r[0] for r in kolibri)
        k_p90 = statistics.median(r[1] for r in kolibri)
        for name, runs in results.items():
            med = statistics.median(r[0] for r in runs)
            p90 = statistics.median(r[1] for r in runs)
            ratio = "" if name.startswith("Kolibri") else f"{k_med / med:19.1f}× {k_p90 / p90:5.1f}×"
            print(f"{name:42} {med:8.1f} {p90:8.1f} {ratio}")
        print("\nbytes (on the wire / uncompressed):")
        for name, (wire, raw) in sizes.items():
            print(f"  {name:30} {wire / 1024:8.1f} KiB / {raw / 1024:8.1f} KiB")
        api_raw, k_raw = sizes["PLP JSON API (compact)"][1], sizes["Kolibri class summary"][1]
        print(f"PLP API / Kolibri summary, uncompressed: {api_raw / k_raw:.2f}")
    finally:
        peer.stop()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
