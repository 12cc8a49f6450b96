"""make bench: speed and scale, measured side by side against the stack's own floor.

One run, from an empty database to bench/results.json:

1. a fresh PostgreSQL database, migrated, static files collected, the Kent demo loaded and a
   cycle opened for the officer's page; queries per page counted (Kent scale), Appendix A and
   the full-edition diff timed;
2. the synthetic national data set (manage.py make_scale_data), VACUUM ANALYZE, and the same
   counts and timings again (synthetic scale);
3. gunicorn on 127.0.0.1 only, and wrk (16 connections) against each page, each right after a
   run of the floor: a constant template through the whole middleware stack;
4. the PDF pipeline against WeasyPrint alone, a stored PDF's download, a render's peak memory;
5. a pyinstrument profile of every page that misses its goal (or of the one nearest to missing).

It is a benchmark, not a test: unmet goals are printed, never turned into a failing exit code.
Environment: BENCH_SECONDS (default 20), BENCH_DATABASE (default csa_bench), BENCH_SCALE_ARGS
(extra make_scale_data options, e.g. "--agreements 3 --partnerships 45" for a quick trial).
`bench/run.py --report` prints the last results again; `--markdown` prints them as the README's tables.
"""

from __future__ import annotations

import datetime
import gzip
import http.client
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
DATABASE = os.getenv("BENCH_DATABASE", "csa_bench")
SECONDS = int(os.getenv("BENCH_SECONDS", "20"))
CONNECTIONS = 16  # fixed by the issue
WRK_THREADS = 2
# Two sync workers, one request at a time each: threads would add the GIL's 5 ms switch interval to
# the tail, and a p95 of a few milliseconds is all tail (the floor's p95 spread 8 to 30 ms with
# 4 threads a worker, 5.6 to 6.9 ms with sync workers, in 4 s runs on this machine).
WORKERS = 2
WORKER_CLASS = "sync"
WORK = Path(f"/tmp/csa-bench-{DATABASE}")
FLOOR_URL = "/bench/floor/"
# Every request says what a browser behind a TLS proxy says: it came over HTTPS (so the production
# settings stay as they are) and it accepts gzip.
REQUEST_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}

# Page name: the most its p95 may be, as a multiple of the p95 of the floor requested as the same
# visitor (see under_load).
GOALS = {
    "Published edition": 1.2,  # issue 16
    "Draft review (changes marked)": 10.0,
    "Draft review (changes only)": 10.0,
    "Officer's return": 3.0,
    "KCST cycle dashboard": 3.0,
    "Public list": 3.0,
    "Working Group monitoring": 3.0,
    "Priority lead's actions": 3.0,
    "Annual review": 10.0,
}
PDF_RATIO_GOAL = 1.3
DOWNLOAD_SPEEDUP_GOAL = 100
MEMORY_GOAL_MB = 400

ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://csa:csa@127.0.0.1:5432/{DATABASE}",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "CONN_MAX_AGE": "60",  # persistent connections, as in production
    "MEDIA_ROOT": str(WORK / "media"),
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "BENCH_FLOOR": "1",
    "PYTHONUNBUFFERED": "1",
}
ENV.pop("DJANGO_SETTINGS_MODULE", None)

LOG = WORK / "setup.log"


def say(message: str = "") -> None:
    print(message, flush=True)


timings: dict[str, float] = {}


@contextmanager
def step(title: str):
    """Prints a set-up step and how long it took."""
    started = time.perf_counter()
    print(f"  {title} ...", end="", flush=True)
    try:
        yield
    except BaseException:
        print(" failed", flush=True)
        raise
    timings[title] = round(time.perf_counter() - started, 1)
    print(f" {timings[title]:.1f} s", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Runs a command with the bench environment, its output going to the set-up log."""
    with LOG.open("a") as log:
        log.write(f"\n$ {shlex.join(command)}\n")
        log.flush()
        result = subprocess.run(command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, **kwargs)
    if result.returncode:
        tail = LOG.read_text().splitlines()[-30:]
        raise SystemExit(f"\n{shlex.join(command)} failed (exit {result.returncode}):\n" + "\n".join(tail))
    return result


def manage(*args: str) -> None:
    run([PYTHON, "manage.py", *args])


def django_step(name: str, *args: str):
    """One step of bench/steps.py in a fresh process; returns the JSON it printed last."""
    result = subprocess.run([PYTHON, str(BENCH / "steps.py"), name, *args], cwd=ROOT, env=ENV,
                            capture_output=True, text=True)
    with LOG.open("a") as log:
        log.write(f"\n$ steps.py {name}\n{result.stderr}")
    if result.returncode:
        raise SystemExit(f"\nbench/steps.py {name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def as_postgres(sql_command: str) -> str:
    return subprocess.run(["su", "postgres", "-c", sql_command], capture_output=True, text=True, check=True).stdout


# The machine ------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    postgres = as_postgres("psql -tAc 'SHOW server_version'").strip()
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return {
        "nproc": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1), "cpu": cpu,
        "python": platform.python_version(), "postgresql": postgres, "wrk": wrk,
        "kernel": platform.release(),
    }


# Set-up -----------------------------------------------------------------------------------------

def set_up() -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    LOG.write_text(f"make bench {datetime.datetime.now():%Y-%m-%d %H:%M}\n")
    with step(f"fresh database {DATABASE} and media folder"):
        as_postgres(f"dropdb --if-exists --force {DATABASE}")
        as_postgres(f"createdb -O csa {DATABASE}")
        # The last run's stored PDFs and public pages belong to the database just dropped.
        shutil.rmtree(WORK / "media", ignore_errors=True)
    with step("migrate"):
        manage("migrate", "--noinput")
    with step("collectstatic"):
        manage("collectstatic", "--noinput")
    with step("Kent demo (load_agreement, create_demo_users, load_demo_delivery)"):
        manage("load_agreement", "fixtures/kent")
        manage("create_demo_users")
        manage("load_demo_delivery")
    with step("Kent: a cycle open now, Ashford's return filled in"):
        kent = django_step("prepare_kent")
    return kent


# Measurements -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self):
        self.port = free_port()
        self.command = [
            PYTHON, "-m", "gunicorn", "csa_site.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(WORKERS), "--worker-class", WORKER_CLASS,
            "--log-level", "warning", "--error-logfile", str(WORK / "gunicorn.log"),
        ]

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=ENV, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {WORK / 'gunicorn.log'}")
            try:
                if get(self.port, FLOOR_URL)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)  # waiting for start-up, not part of any measurement
        raise SystemExit("gunicorn did not answer within 60 s")

    def cpu_ticks(self) -> int:
        """CPU time used so far by gunicorn's workers, in clock ticks."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for pid in children:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks

    def wait_until_idle(self) -> None:
        """wrk stops sending, but requests it left queued are still being served: wait for them,
        so that the next run does not start on a busy server (no figure is taken while waiting)."""
        deadline = time.monotonic() + 120
        last = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.cpu_ticks()
            if now - last <= 2:  # under 10% of one CPU
                return
            last = now

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def headers_for(cookie: str | None) -> dict:
    headers = dict(REQUEST_HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    return headers


def get(port: int, url: str, cookie: str | None = None, connection=None) -> tuple[int, bytes]:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", url, headers=headers_for(cookie))
    response = conn.getresponse()
    body = response.read()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    if connection is None:
        conn.close()
    return response.status, body


def check_page(port: int, page: dict, cookie: str | None) -> None:
    """Refuses to measure a page that is not the page: a redirect to the log-in page is fast too."""
    status, body = get(port, page["url"], cookie)
    if status != 200 or page["marker"].encode() not in body:
        raise SystemExit(f"{page['url']} answered {status} without {page['marker']!r}: not measuring it")


def wrk(port: int, url: str, cookie: str | None, seconds: int) -> dict:
    headers = [arg for name, value in headers_for(cookie).items() for arg in ("-H", f"{name}: {value}")]
    target = f"http://127.0.0.1:{port}{url}"
    # A slow page must be measured, not dropped: wrk's default 2 s time-out would leave its slowest out.
    base = ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "--timeout", "60s", *headers]
    subprocess.run([*base, "-d", "2s", target], capture_output=True, check=True)  # warm every worker
    out = subprocess.run([*base, "-d", f"{seconds}s", "--latency", "-s", str(BENCH / "report.lua"), target],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(next(line for line in out.splitlines() if line.startswith("BENCH-JSON "))[11:])
    return {
        "p50_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000, "p99_ms": data["p99_us"] / 1000,
        "rps": data["requests"] / (data["duration_us"] / 1e6), "requests": data["requests"],
        "errors": sum(data["errors"].values()), "kb_per_response": data["bytes"] / max(data["requests"], 1) / 1024,
    }


def download_times(port: int, url: str, times: int = 30) -> float:
    """Median seconds to download the stored PDF, one request after another on one connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    get(port, url, connection=conn)
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        status, body = get(port, url, connection=conn)
        seconds.append(time.perf_counter() - started)
        if status != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"{url} did not return a PDF")
    conn.close()
    return statistics.median(seconds)


def under_load(scale: dict, cookies: dict) -> tuple[dict, list[dict], float]:
    """wrk against each page, each right after a run of the floor as the same visitor: a page's ratio
    is to the floor measured just before it, so a machine that slows down for a while (another
    process, the database writing) slows both sides of the ratio.

    A signed-in page's floor is the constant page requested with the same session: the stack's own
    work for that visitor (reading the session, the user and their roles) is part of the floor, not
    of the page. The anonymous floor, which does none of it, is printed beside it."""
    targets = [*scale["pages"], scale["pdf"]]
    floors, results = [], []
    with Gunicorn() as server:
        say(f"  gunicorn on 127.0.0.1:{server.port}: {WORKERS} {WORKER_CLASS} workers, DEBUG off, CONN_MAX_AGE=60")
        say(f"  wrk: {CONNECTIONS} connections, {WRK_THREADS} threads, {SECONDS} s per run after a 2 s warm-up; "
            "the floor, as the same visitor, before every page")
        for target in targets:
            cookie = cookies.get(target["user"]) if target["user"] else None
            floor_page = {"url": FLOOR_URL, "marker": "Floor"}
            check_page(server.port, floor_page, cookie)
            floor = wrk(server.port, FLOOR_URL, cookie, SECONDS)
            server.wait_until_idle()
            if not target["user"]:
                floors.append(floor)
            check_page(server.port, target, cookie)
            figures = wrk(server.port, target["url"], cookie, SECONDS)
            server.wait_until_idle()
            results.append({**target, **figures, "floor_p95_ms": floor["p95_ms"], "floor_rps": floor["rps"]})
            visitor = f"signed in as {target['user']}" if target["user"] else "anonymous"
            say(f"    {target['name']:<32} p95 {figures['p95_ms']:8.1f} ms {figures['rps']:8.1f} req/s   "
                f"floor ({visitor}) just before: p95 {floor['p95_ms']:6.1f} ms {floor['rps']:8.1f} req/s")
        download = download_times(server.port, scale["pdf"]["url"])
    summary = {"name": "Floor (constant template), anonymous", "url": FLOOR_URL, "user": None, "runs": floors}
    for key in ("p50_ms", "p95_ms", "p99_ms", "rps"):
        summary[key] = statistics.median(run[key] for run in floors)
    summary["p95_ms_range"] = [min(run["p95_ms"] for run in floors), max(run["p95_ms"] for run in floors)]
    for r in results:
        r["ratio_p95"] = r["p95_ms"] / r["floor_p95_ms"]
        r["ratio_p95_anonymous_floor"] = r["p95_ms"] / summary["p95_ms"]
        r["goal"] = GOALS.get(r["name"])
        r["met"] = None if r["goal"] is None else r["ratio_p95"] <= r["goal"]
    return summary, results, download


def main() -> None:
    begun = time.perf_counter()
    say(f"make bench: database {DATABASE}, work files in {WORK}")
    info = machine()
    say(f"  machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']} GB, PostgreSQL {info['postgresql']}")
    kent = set_up()
    with step("queries at Kent scale"):
        queries_kent = django_step("queries", json.dumps(kent["pages"]))
    with step("Appendix A and diff at Kent scale"):
        aggregation_kent = django_step("aggregation", "kent")
    with step("synthetic scale data (make_scale_data " + os.getenv("BENCH_SCALE_ARGS", "") + ")"):
        manage("make_scale_data", *shlex.split(os.getenv("BENCH_SCALE_ARGS", "")))
    with step("VACUUM ANALYZE and CHECKPOINT (as after any bulk load)"):
        # Otherwise autovacuum wakes up during the measurements, and the planner has no statistics.
        as_postgres(f"psql -q -d {DATABASE} -c 'VACUUM ANALYZE' -c 'CHECKPOINT'")
    scale = django_step("pages_scale")
    with step("queries at synthetic scale"):
        # One process for each set of pages, so each page's first request finds the caches empty.
        queries_scaled = django_step("queries", json.dumps(kent["pages"]))
        queries_scaled += django_step("queries", json.dumps(scale["pages"]))
        floor_queries = django_step("queries", json.dumps([
            {"url": FLOOR_URL, "user": None}, {"url": FLOOR_URL, "user": "kcst"}]))
    with step("Appendix A and diff at synthetic scale"):
        aggregation_scale = django_step("aggregation", "scale-01")
    users = sorted({p["user"] for p in scale["pages"] if p["user"]})
    cookies = django_step("sessions", ",".join(users))

    say("Under load")
    floor, pages, download_s = under_load(scale, cookies)

    with step("PDF: our pipeline against WeasyPrint alone"):
        pdf = django_step("pdf", str(scale["pdf_version"]))
    with step("Annual review PDF: our pipeline against WeasyPrint alone"):
        review_pdf = django_step("review_pdf", str(scale["annual_review"]))
    with step("PDF: peak memory of one render"):
        memory = django_step("pdf_memory", str(scale["pdf_version"]))

    query_rows = []
    count = len(kent["pages"])
    for i, (kent_page, scale_page) in enumerate(zip(kent["pages"], scale["pages"])):
        before, after, synthetic = queries_kent[i], queries_scaled[i], queries_scaled[count + i]
        query_rows.append({
            "name": kent_page["name"], "kent_url": kent_page["url"], "synthetic_url": scale_page["url"],
            "kent_scale": before, "synthetic_scale_same_page": after, "synthetic_agreement_page": synthetic,
            "equal": before["cold"] == after["cold"] and before["warm"] == after["warm"],
        })

    load_pages = [p for p in pages if p["goal"] is not None]
    by_distance = sorted(load_pages, key=lambda p: p["ratio_p95"] / p["goal"], reverse=True)
    to_profile = [p for p in by_distance if not p["met"]] or by_distance[:1]
    profiles = []
    for target in to_profile:
        with step(f"profile: {target['name']}"):
            profiles.append(django_step("profile", json.dumps({k: target[k] for k in ("name", "url", "user")})))

    pdf_ratio = pdf["pipeline_s"] / pdf["weasyprint_s"]
    speedup = pdf["pipeline_s"] / download_s
    goals = [
        *({"goal": f"{p['name']}: p95 at most {p['goal']:g} x the floor's", "value": f"{p['ratio_p95']:.2f} x",
           "met": p["met"]} for p in load_pages),
        {"goal": f"PDF pipeline at most {PDF_RATIO_GOAL} x WeasyPrint alone", "value": f"{pdf_ratio:.2f} x",
         "met": pdf_ratio <= PDF_RATIO_GOAL},
        {"goal": f"Annual review PDF pipeline at most {PDF_RATIO_GOAL} x WeasyPrint alone",
         "value": f"{review_pdf['pipeline_s'] / review_pdf['weasyprint_s']:.2f} x",
         "met": review_pdf["pipeline_s"] / review_pdf["weasyprint_s"] <= PDF_RATIO_GOAL},
        {"goal": f"Stored PDF download at least {DOWNLOAD_SPEEDUP_GOAL} x faster than rendering it",
         "value": f"{speedup:.0f} x" if scale["has_stored_pdf"] else "no stored PDF (make_scale_data --stored-pdfs 0)",
         "met": scale["has_stored_pdf"] and speedup >= DOWNLOAD_SPEEDUP_GOAL},
        {"goal": f"Peak memory of one render under {MEMORY_GOAL_MB} MB", "value": f"{memory['peak_mb']:.0f} MB",
         "met": memory["peak_mb"] < MEMORY_GOAL_MB},
        {"goal": "Queries per page the same at Kent and synthetic scale",
         "value": f"{sum(r['equal'] for r in query_rows)} of {len(query_rows)} pages",
         "met": all(r["equal"] for r in query_rows)},
    ]
    results = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "server": {"gunicorn": f"{WORKERS} {WORKER_CLASS} workers", "debug": False,
                   "conn_max_age": 60, "bind": "127.0.0.1"},
        "load": {"connections": CONNECTIONS, "wrk_threads": WRK_THREADS, "seconds": SECONDS},
        "scale_args": os.getenv("BENCH_SCALE_ARGS", ""),
        "data": scale["data"],
        "floor": floor,
        "pages": pages,
        "pdf": {**pdf, "ratio": pdf_ratio, "download_s": download_s, "download_speedup": speedup,
                "peak_memory_mb": memory["peak_mb"], "memory_before_render_mb": memory["before_mb"],
                "has_stored_pdf": scale["has_stored_pdf"]},
        "queries": query_rows,
        "floor_queries": {"anonymous": floor_queries[0]["warm"], "signed_in": floor_queries[1]["warm"]},
        "aggregation": {"kent": aggregation_kent, "synthetic": aggregation_scale},
        "goals": goals,
        "profiles": profiles,
        "setup_s": timings,
        "total_s": round(time.perf_counter() - begun),
    }
    print_report(results)
    out = BENCH / "results.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, default=str) + "\n")
    tmp.replace(out)
    say(f"\nWritten to bench/results.json. make bench took {results['total_s'] // 60} min {results['total_s'] % 60} s.")


# The report -------------------------------------------------------------------------------------

def print_report(r: dict) -> None:
    m = r["machine"]
    say("\n" + "=" * 100)
    say(f"make bench, {r['when']}: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
        f"PostgreSQL {m['postgresql']}")
    say(f"gunicorn {r['server']['gunicorn']} on 127.0.0.1, DEBUG off; wrk {r['load']['connections']} connections, "
        f"{r['load']['seconds']} s per page")
    say("Data: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in r["data"].items()))
    say("=" * 100)
    f = r["floor"]
    say(f"\n{'Page (synthetic scale)':<32} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} "
        f"{'floor p95':>9} {'p95/floor':>9} {'goal':>5}  {'result':<8} {'/anonymous floor':>16}")
    say(f"{f['name'] + ' (median)':<32} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['p99_ms']:8.1f} {f['rps']:8.1f}")
    for p in r["pages"]:
        goal = f"{p['goal']:g}" if p["goal"] else "-"
        result = "" if p["met"] is None else ("met" if p["met"] else "NOT MET")
        result += f" ({p['errors']} errors)" if p["errors"] else ""
        anonymous = f"{p['ratio_p95_anonymous_floor']:16.2f}" if p["user"] else ""
        say(f"{p['name']:<32} {p['p50_ms']:8.1f} {p['p95_ms']:8.1f} {p['p99_ms']:8.1f} {p['rps']:8.1f} "
            f"{p['floor_p95_ms']:9.1f} {p['ratio_p95']:9.2f} {goal:>5}  {result:<8} {anonymous}")
    low, high = f["p95_ms_range"]
    say(f"(floor p95: the constant page just before each page, as the same visitor: signed in for the review, return "
        f"and dashboard pages. Anonymous floor: {len(f['runs'])} runs, p95 {low:.1f} to {high:.1f} ms.)")
    pdf = r["pdf"]
    say(f"\nPDF of {pdf['version']} ({pdf['bytes'] // 1024} KB)")
    say(f"  our pipeline (database to PDF)   {pdf['pipeline_s']:8.2f} s   (document HTML alone "
        f"{pdf['document_html_s'] * 1000:.0f} ms)")
    say(f"  WeasyPrint alone on the same HTML {pdf['weasyprint_s']:7.2f} s   ratio {pdf['ratio']:.2f} "
        f"(goal <= {PDF_RATIO_GOAL})")
    say(f"  stored PDF download (HTTP)       {pdf['download_s'] * 1000:8.1f} ms  {pdf['download_speedup']:.0f} x "
        f"faster than rendering (goal >= {DOWNLOAD_SPEEDUP_GOAL})")
    say(f"  peak memory of one render        {pdf['peak_memory_mb']:8.0f} MB  (process before rendering "
        f"{pdf['memory_before_render_mb']:.0f} MB; goal < {MEMORY_GOAL_MB})")
    say(f"\n{'Queries per page (first request / next)':<40} {'Kent scale':>11} {'synthetic':>11} "
        f"{'synthetic agreement':>20}  equal")
    for q in r["queries"]:
        def pair(x):
            return f"{x['cold']} / {x['warm']}"
        say(f"{q['name']:<40} {pair(q['kent_scale']):>11} {pair(q['synthetic_scale_same_page']):>11} "
            f"{pair(q['synthetic_agreement_page']):>20}  {'yes' if q['equal'] else 'NO'}")
    fq = r["floor_queries"]
    say(f"{'Floor, anonymous / signed in (KCST)':<40} {fq['anonymous']:>11} {fq['signed_in']:>11}  "
        "(a signed-in request's own: its session, user and roles)")
    say(f"\n{'Outside requests':<30} {'Kent scale':>24} {'synthetic scale':>24}")
    for key, label in (("appendix_a", "Appendix A aggregation"), ("diff", "Full-edition diff")):
        k, s = r["aggregation"]["kent"][key], r["aggregation"]["synthetic"][key]
        say(f"{label:<30} {k['ms']:9.1f} ms {k['queries']:3d} queries {s['ms']:9.1f} ms {s['queries']:3d} queries")
    a, d = r["aggregation"]["synthetic"]["appendix_a"], r["aggregation"]["synthetic"]["diff"]
    say(f"  (synthetic: {a['cycle']}, {a['returns']} returns; diff {d['editions']}, {d['changes']} changes)")
    say("\nGoals")
    for g in r["goals"]:
        say(f"  {'met    ' if g['met'] else 'NOT MET'}  {g['goal']}: {g['value']}")
    for i, p in enumerate(r["profiles"]):
        heading = "Profile of the page furthest from its goal" if i == 0 else "Profile"
        say(f"\n{heading}: {p['page']} ({p['url']}), {p['requests']} requests in-process, "
            f"{p['ms_per_request']:.1f} ms each")
        say("  " + ", ".join(f"{share * 100:.0f}% {kind}" for kind, share in p["kinds"].items())
            + " (overlapping where a template runs a query)")
        say("  our code, by time inside it:")
        for row in p["our_code"][:10 if i == 0 else 5]:
            say(f"    {row['share'] * 100:5.1f}%  {row['frame']}")
        say("  top frames by own time:")
        for row in p["self_time"][:10 if i == 0 else 5]:
            say(f"    {row['share'] * 100:5.1f}%  {row['frame']}")


def markdown(r: dict) -> str:
    """The latest results as the README's Performance tables."""
    m, f = r["machine"], r["floor"]
    lines = [
        f"Measured {r['when'][:10]} on {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
        f"PostgreSQL {m['postgresql'].split()[0]}, {m['wrk']}; gunicorn {r['server']['gunicorn']}, "
        f"wrk {r['load']['connections']} connections for {r['load']['seconds']} s per page; "
        f"make bench took {r['total_s'] // 60} min {r['total_s'] % 60} s.",
        "",
        "Data at synthetic scale: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in r["data"].items()) + ".",
        "",
        "| page (synthetic scale) | visitor | p50 ms | p95 ms | p99 ms | req/s | floor p95 ms | p95 / floor p95 "
        "| goal | | p95 / anonymous floor p95 |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|--:|",
        f"| {f['name']} (median of {len(f['runs'])} runs) | anonymous | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} "
        f"| {f['p99_ms']:.1f} | {f['rps']:.0f} | | | | | |",
    ]
    for p in r["pages"]:
        goal = f"≤ {p['goal']:g}" if p["goal"] else ""
        result = "" if p["met"] is None else ("met" if p["met"] else "**not met**")
        anonymous = f"{p['ratio_p95_anonymous_floor']:.1f}" if p["user"] else ""
        lines.append(f"| {p['name']} | {p['user'] or 'anonymous'} | {p['p50_ms']:.1f} | {p['p95_ms']:.1f} "
                     f"| {p['p99_ms']:.1f} | {p['rps']:.0f} | {p['floor_p95_ms']:.1f} | {p['ratio_p95']:.2f} | {goal} "
                     f"| {result} | {anonymous} |")
    pdf = r["pdf"]
    lines += [
        "",
        "Each page's floor is the constant page run just before it, as the same visitor: a signed-in page's floor "
        "reads the session, the user and their roles, as every signed-in request must.",
        "",
        "| PDF | figure | goal | |",
        "|---|--:|--:|---|",
        f"| our pipeline / WeasyPrint alone | {pdf['pipeline_s']:.2f} s / {pdf['weasyprint_s']:.2f} s = "
        f"{pdf['ratio']:.2f} | ≤ {PDF_RATIO_GOAL} | {'met' if pdf['ratio'] <= PDF_RATIO_GOAL else '**not met**'} |",
        f"| stored PDF download against rendering | {pdf['download_s'] * 1000:.1f} ms: "
        f"{pdf['download_speedup']:.0f} x faster | ≥ {DOWNLOAD_SPEEDUP_GOAL} x "
        f"| {'met' if pdf['download_speedup'] >= DOWNLOAD_SPEEDUP_GOAL else '**not met**'} |",
        f"| peak memory of one render | {pdf['peak_memory_mb']:.0f} MB | < {MEMORY_GOAL_MB} MB "
        f"| {'met' if pdf['peak_memory_mb'] < MEMORY_GOAL_MB else '**not met**'} |",
        "",
        "| queries per page (first request / next) | Kent scale | synthetic scale | a synthetic agreement's | equal |",
        "|---|--:|--:|--:|---|",
    ]
    for q in r["queries"]:
        def pair(x):
            return f"{x['cold']} / {x['warm']}"
        lines.append(f"| {q['name']} | {pair(q['kent_scale'])} | {pair(q['synthetic_scale_same_page'])} "
                     f"| {pair(q['synthetic_agreement_page'])} | {'yes' if q['equal'] else '**no**'} |")
    fq = r["floor_queries"]
    lines.append(f"| the floor, anonymous / signed in | {fq['anonymous']} / {fq['signed_in']} | | | |")
    lines += ["", "| outside requests | Kent scale | synthetic scale |", "|---|--:|--:|"]
    for key, label in (("appendix_a", "Appendix A aggregation"), ("diff", "full-edition diff")):
        k, sy = r["aggregation"]["kent"][key], r["aggregation"]["synthetic"][key]
        lines.append(f"| {label} | {k['ms']:.1f} ms, {k['queries']} queries | {sy['ms']:.1f} ms, "
                     f"{sy['queries']} queries |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--markdown"]:
        print(markdown(json.loads((BENCH / "results.json").read_text())))
    elif sys.argv[1:] == ["--report"]:
        print_report(json.loads((BENCH / "results.json").read_text()))
    else:
        main()
