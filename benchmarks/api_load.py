"""Load test of the API on 100,000 synthetic events: requests/s and p50/p99 latency.

    .venv/bin/python benchmarks/api_load.py [--events 100000] [--seconds 8] [--clients 4] [--db FILE]

Builds a store of synthetic events (cached at --db when given), starts ``sitrep serve`` in its own
process on 127.0.0.1, and drives it from this process with --clients threads for --seconds per
scenario (bounded: each scenario stops after the time or 20,000 requests). Prints one line per
scenario. Numbers depend on the machine; compare runs on the same one.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from sitrep.schema import Claim, Event, Evidence, Modality, SourceType, Span, SUB_EVENT_PARENT

# Governorate centres (rough) to scatter events around, weighted like a conflict-heavy year.
CENTRES = [("Idleb", 35.9, 36.6, 5), ("Aleppo", 36.2, 37.2, 4), ("Rural Damascus", 33.5, 36.5, 3), ("Dar'a", 32.7, 36.1, 2),
           ("Deir ez Zor", 35.3, 40.1, 2), ("Homs", 34.7, 37.5, 2), ("Hama", 35.1, 36.8, 2), ("Ar Raqqa", 35.9, 39.0, 1)]
MAX_REQUESTS = 20_000


def build_store(path: Path, n: int, seed: int = 7) -> None:
    from sitrep.store import SQLiteStore

    rng = random.Random(seed)
    subs = list(SUB_EVENT_PARENT)
    start = date(2012, 1, 1)
    with SQLiteStore(path) as store:
        batch = []
        for i in range(n):
            admin1, lat, lon, _ = rng.choices(CENTRES, weights=[c[3] for c in CENTRES])[0]
            sub = rng.choice(subs)
            fatalities = int(rng.expovariate(0.3)) if rng.random() < 0.4 else 0
            text = f"Synthetic report {i}: {sub.value.lower()} near {admin1} with {fatalities} reported killed."
            batch.append(
                Event(
                    event_id=f"ev_syn{i:07d}",
                    event_date=start + timedelta(days=rng.randrange(12 * 365)),
                    event_type=SUB_EVENT_PARENT[sub],
                    sub_event_type=sub,
                    actor1=rng.choice(["Military Forces of Syria (2000-2024)", "Hayat Tahrir al-Sham", "Islamic State (Syria)", "SDF"]),
                    admin1=admin1,
                    location=f"Place {i % 3000}",
                    latitude=round(lat + rng.gauss(0, 0.35), 5),
                    longitude=round(lon + rng.gauss(0, 0.35), 5),
                    fatalities=fatalities,
                    modality=Modality.ASSERTED,
                    notes=text,
                    source="Synthetic Wire",
                    claims=[Claim(value=fatalities, claimant="Synthetic Monitor", claimant_type=SourceType.MONITOR, text=text)] if fatalities else [],
                    evidence=[Evidence(article_id=f"a_syn{i // 3:07d}", span=Span(start=0, end=len(text)), text=text, outlet="Synthetic Wire")],
                )
            )
            if len(batch) == 5000:
                store.upsert_events(batch)
                batch = []
        store.upsert_events(batch)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_scenario(base: str, path: str, params_list: list[dict], seconds: float, clients: int) -> tuple[int, float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(k: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=60) as client:
            i = k
            while time.perf_counter() < stop_at:
                with lock:
                    if len(latencies) + errors >= MAX_REQUESTS:
                        return
                t0 = time.perf_counter()
                r = client.get(path, params=params_list[i % len(params_list)])
                dt = time.perf_counter() - t0
                with lock:
                    if r.status_code == 200:
                        latencies.append(dt)
                    else:
                        errors += 1
                i += clients

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), time.perf_counter() - t0, latencies, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--db", type=Path, help="store file to build (or reuse when it already holds --events events)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "load.db"
    if not db.exists():
        t0 = time.perf_counter()
        build_store(db, args.events)
        print(f"built {args.events} synthetic events in {time.perf_counter() - t0:.0f} s ({db})")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/config.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            print("server did not start:", server.stderr.read(), file=sys.stderr)
            return 1
        total = httpx.get(f"{base}/events", params={"limit": 1}).json()["total"]
        # Cursors for deep pages, fetched once, so the paging scenario reads pages far from the start.
        cursors, cursor = [], None
        for _ in range(20):
            page = httpx.get(f"{base}/events", params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
            cursor = page["next_cursor"]
            cursors.append(cursor)
        syria = "35.5,32.3,42.5,37.4"
        scenarios = [
            ("/events first page (100)", "/events", [{"limit": 100}]),
            ("/events deep pages via cursor", "/events", [{"limit": 100, "cursor": c} for c in cursors if c]),
            ("/events filtered (type+admin1+dates)", "/events", [{"event_type": "Battles", "admin1": a, "since": "2016-01-01", "until": "2017-12-31"} for a in ("Idleb", "Aleppo", "Homs")]),
            ("/events text search q=", "/events", [{"q": "Idleb with 3"}, {"q": "shelling"}]),
            ("/events.geojson all Syria (clustered)", "/events.geojson", [{"bbox": syria, "zoom": z} for z in (6, 7, 8)]),
            ("/events.geojson one month (points)", "/events.geojson", [{"bbox": syria, "since": f"2016-{m:02d}-01", "until": f"2016-{m:02d}-28"} for m in range(1, 13)]),
            ("/stats/timeline week", "/stats/timeline", [{"interval": "week"}]),
        ]
        print(f"{total} events; {args.clients} client threads in a second process; {args.seconds:.0f} s per scenario")
        print(f"{'scenario':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'n':>6} {'errors':>6}")
        for label, path, params in scenarios:
            run_scenario(base, path, params[:1], 0.5, 1)  # warm caches and connections
            n, elapsed, lat, errors = run_scenario(base, path, params, args.seconds, args.clients)
            lat.sort()
            p50 = statistics.median(lat) * 1000 if lat else float("nan")
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
            print(f"{label:42} {n / elapsed:8.1f} {p50:8.1f} {p99:8.1f} {n:6d} {errors:6d}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
