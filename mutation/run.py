"""make mutants: mutation testing with mutmut, one module at a time against its own tests.

Each module of mutation/modules.toml gets a working directory of its own under .mutants/: links to
the project's files and a pyproject.toml whose [tool.mutmut] names that module and its tests, since
mutmut reads its settings from the directory it runs in and keeps one set of results per directory.
A module's results survive between runs: mutmut tests again only the functions that changed.

The report (mutation/report.md) gives each module's score and its surviving mutants with their
diffs; mutants listed in mutation/equivalent.toml, with the reason no test can tell them apart, are
counted apart. Usage: python mutation/run.py [agreements/roles.py ...] (default: every module);
with --report, only the report is written again from the results kept (after a run was stopped).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / ".mutants"
REPORT = HERE / "report.md"
MEDIA = WORK / "media"
# Neither the project's own settings nor what mutmut and other tools keep beside them.
NOT_LINKED = {".git", ".venv", ".mutants", "mutation", "pyproject.toml", "db.sqlite3", "media", "staticfiles"}
# What the tests read besides the Python packages: templates, static files, fixtures.
DATA = ["templates", "static", "fixtures", "manage.py"]

# mutmut's exit codes for a mutant (mutmut.stats.status_by_exit_code).
KILLED = {1, 3}
TIMEOUT = {24, -24, 36, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


@dataclass
class Outcome:
    module: str
    killed: list[str] = field(default_factory=list)
    survived: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    # Not tried yet: a run stopped before it reached them.
    unchecked: list[str] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return len(self.killed) + len(self.survived) + len(self.untested) + len(self.other)

    @property
    def score(self) -> float:
        """Killed out of the mutants tried that a test could kill (all but the equivalent ones)."""
        return 100 * len(self.killed) / max(1, self.tried)


def packages() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in ("tests", "bench"))


def mutmut_settings(module: dict) -> str:
    source_paths = packages()
    return "\n".join([
        "",
        "[tool.mutmut]",
        f"source_paths = {json.dumps(source_paths)}",
        f"only_mutate = {json.dumps([module['path']])}",
        f"also_copy = {json.dumps([p for p in DATA if (ROOT / p).exists()])}",
        f"pytest_add_cli_args_test_selection = {json.dumps(module['tests'])}",
        # One test database for every mutant, migrated once: creating it takes longer than most tests.
        'pytest_add_cli_args = ["--reuse-db", "-p", "no:cacheprovider"]',
        "use_git_change_detection = false",
        "",
    ])


def workdir(module: dict) -> Path:
    return WORK / module["path"].replace("/", ".").removesuffix(".py")


def prepare(module: dict) -> Path:
    work = workdir(module)
    work.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        link = work / entry.name
        if entry.name not in NOT_LINKED and not link.is_symlink():
            link.symlink_to(entry)
    project = (ROOT / "pyproject.toml").read_text()
    (work / "pyproject.toml").write_text(project + mutmut_settings(module))
    return work


def retry_the_missed(module: dict, work: Path) -> None:
    """Tests may have been added or changed since the last run: every mutant not killed then is
    tried again (mutmut itself tries again only the mutants of functions that changed), and which
    test calls which function is found out anew (mutmut notices new tests, not changed ones)."""
    (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    meta_path = work / "mutants" / (module["path"] + ".meta")
    if not meta_path.exists():
        return
    meta = json.loads(meta_path.read_text())
    meta["exit_code_by_key"] = {
        name: code if code in KILLED | TIMEOUT else None for name, code in meta["exit_code_by_key"].items()
    }
    meta_path.write_text(json.dumps(meta, indent=4))


def mutmut(work: Path, *args: str, capture: bool = False) -> str:
    command = ["nice", "-n", "19", sys.executable, "-m", "mutmut", *args]
    # Every module's run reuses one test database (--reuse-db), whose published editions name PDF
    # files stored when Kent was loaded: they are kept in one place for all modules, not in the
    # working directory of whichever module happened to load them.
    environment = os.environ | {"MEDIA_ROOT": str(MEDIA)}
    done = subprocess.run(command, cwd=work, env=environment, text=True, check=not capture, capture_output=capture)
    return done.stdout


def start_afresh_without_media() -> None:
    """A test database kept from an earlier run names files that are gone once .mutants/media is
    (a fresh clone, make clean): drop it, and the first module's run creates and loads it again."""
    if MEDIA.exists():
        return
    import dj_database_url
    import psycopg2

    database = dj_database_url.config()
    if "postgresql" not in database.get("ENGINE", ""):
        MEDIA.mkdir(parents=True)  # SQLite's test database lives in memory: nothing is kept
        return
    connection = psycopg2.connect(host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
                                  password=database["PASSWORD"], dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        # pytest-django prefixes test_ to the name in force, and mutmut runs pytest more than once
        # in one process, so the names it has used carry the prefix more than once.
        cursor.execute("SELECT datname FROM pg_database WHERE datname ~ %s", [f"^(test_)+{database['NAME']}$"])
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP DATABASE "{name}"')
    connection.close()
    MEDIA.mkdir(parents=True)


def outcome(module: dict, work: Path, equivalent: dict[str, str]) -> Outcome:
    meta = json.loads((work / "mutants" / (module["path"] + ".meta")).read_text())
    result = Outcome(module["path"])
    for name, code in sorted(meta["exit_code_by_key"].items()):
        if name in equivalent:
            result.equivalent.append(name)
        elif code is None:
            result.unchecked.append(name)
        elif code in KILLED or code in TIMEOUT:
            result.killed.append(name)
        elif code in SURVIVED:
            result.survived.append(name)
        elif code in NO_TESTS:
            result.untested.append(name)
        else:
            result.other.append(name)
    return result


def report(outcomes: list[tuple[Outcome, Path]], never_run: list[str], equivalent: dict[str, str]) -> str:
    lines = [
        "# Mutation testing: the last report",
        "",
        "Written by `make mutants` (mutation/run.py). Score: mutants killed (a test failed or timed out)",
        "out of the mutants tried, leaving out the equivalent ones (mutation/equivalent.toml).",
        "",
        "| module | tried | killed | survived | no test ran, or other | equivalent | not tried yet | score |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result, _ in outcomes:
        lines.append(
            f"| `{result.module}` | {result.tried} | {len(result.killed)} | {len(result.survived)}"
            f" | {len(result.untested) + len(result.other)} | {len(result.equivalent)} | {len(result.unchecked)}"
            f" | {result.score:.1f}% |"
        )
    lines += [f"| `{module}` | not run yet | | | | | | |" for module in never_run]
    killed = sum(len(r.killed) for r, _ in outcomes)
    counted = sum(r.tried for r, _ in outcomes)
    lines += ["", f"Overall: {killed} of {counted} killed, {100 * killed / max(1, counted):.1f}%."]
    listed = [name for result, _ in outcomes for name in result.equivalent]
    if listed:
        lines += ["", "## Equivalent mutants", ""] + [f"- `{name}`: {equivalent[name]}" for name in listed]
    for result, work in outcomes:
        missed = result.survived + result.untested + result.other
        if not missed:
            continue
        lines += ["", f"## Surviving in `{result.module}`", ""]
        for name in missed:
            lines += ["```diff", mutmut(work, "show", name, capture=True).strip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(wanted: list[str], report_only: bool) -> int:
    modules = tomllib.loads((HERE / "modules.toml").read_text())["module"]
    equivalent = tomllib.loads((HERE / "equivalent.toml").read_text())
    unknown = set(wanted) - {m["path"] for m in modules}
    if unknown:
        sys.exit(f"Not in mutation/modules.toml: {', '.join(sorted(unknown))}")
    chosen = [m for m in modules if not wanted or m["path"] in wanted]
    if chosen and not report_only:
        start_afresh_without_media()
    for module in chosen if not report_only else []:
        print(f"== {module['path']} against {' '.join(module['tests'])}", flush=True)
        work = prepare(module)
        retry_the_missed(module, work)
        mutmut(work, "run", "--max-children", os.environ.get("MUTANTS_CHILDREN", "1"))
    # The report covers every module that has results, including those not run this time.
    outcomes = [
        (outcome(m, workdir(m), equivalent), workdir(m))
        for m in modules
        if (workdir(m) / "mutants" / (m["path"] + ".meta")).exists()
    ]
    never_run = [m["path"] for m in modules if not (workdir(m) / "mutants" / (m["path"] + ".meta")).exists()]
    text = report(outcomes, never_run, equivalent)
    REPORT.write_text(text)
    print(text.split("\n## ")[0])
    print(f"Surviving mutants and their diffs: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    arguments = sys.argv[1:]
    sys.exit(main([a for a in arguments if a != "--report"], report_only="--report" in arguments))
