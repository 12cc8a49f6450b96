"""The Django side of make bench: each step runs in its own process and prints one JSON line.

    python bench/steps.py STEP [ARGUMENT]

bench/run.py calls these with the bench database in DATABASE_URL; nothing here is used by the
application. Requests go through Django's test Client with the same settings as gunicorn (DEBUG off,
HTTPS as a TLS proxy would say), so query counts are those of the served pages.
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csa_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.two_factor import required_for  # noqa: E402
from agreements.models import Version  # noqa: E402
from agreements.roles import KCST_STAFF, grant  # noqa: E402
from assessments.models import AssessmentCycle, AssessmentReturn, Category, MorileScore, ReturnItem  # noqa: E402

# What a TLS-terminating proxy in front of gunicorn tells Django; SECURE_SSL_REDIRECT stays on.
PROXY = {"x-forwarded-proto": "https"}
SYNTHETIC = "scale-01"


def client(username: str | None) -> Client:
    c = Client(headers=PROXY, SERVER_NAME="127.0.0.1")
    if username:
        user = User.objects.get(username=username)
        c.force_login(user)
        if required_for(user):
            # Signed in as after the code from their app: each request then reads the device as well.
            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Bench app"})
            session = c.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return c


def emit(data) -> None:
    print(json.dumps(data, default=str))


# Pages ---------------------------------------------------------------------------------------------

def page(name: str, url: str, user: str | None, marker: str) -> dict:
    return {"name": name, "url": url, "user": user, "marker": marker}


def prepare_kent() -> None:
    """Kent's pages: its published 1.0, the 8.0 draft's review page, and a return in a cycle open now
    (the loaded cycles are closed, so one is opened and Ashford's return filled in)."""
    from assessments.cycles import open_cycle

    kent = Version.objects.get(agreement__slug="kent", number="8.0").agreement
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    label = f"{start}-{(start + 1) % 100:02d}"
    cycle = AssessmentCycle.objects.filter(agreement=kent, label=label).first()
    if cycle is None:
        cycle = open_cycle(kent, label, due_on=today + datetime.timedelta(days=30),
                           opens_on=today - datetime.timedelta(days=30))
    ret = AssessmentReturn.objects.get(cycle=cycle, partnership__officers__user__username="officer-ashford")
    if not ret.items.exists():
        kinds = [ReturnItem.Kind.MAIN, ReturnItem.Kind.CROSS_CUTTING, ReturnItem.Kind.WITHIN_THEME]
        for order, category in enumerate(Category.objects.filter(cycle=cycle).order_by("order")[:8]):
            ReturnItem.objects.create(assessment_return=ret, category=category, kind=kinds[order % 3], order=order)
        for issue, harm in (("Domestic Abuse", 700), ("Serious Violence", 650), ("Road Safety", 300)):
            MorileScore.objects.create(assessment_return=ret, issue=issue, harm=harm, likelihood=500,
                                       organisational_position=400)
    emit(pages_for("kent", "1.0", "8.0", "officer-ashford", cycle, "lead-domestic-abuse"))


def pages_scale() -> None:
    """The same pages of the first synthetic agreement (make_scale_data)."""
    versions = Version.objects.filter(agreement__slug=SYNTHETIC)
    # The demo KCST officer visits this agreement's pages too: roles are held per agreement.
    grant(User.objects.get(username="kcst"), KCST_STAFF, versions.first().agreement)
    published = versions.filter(status=Version.Status.PUBLISHED).exclude(pdf="").order_by("-effective_year").first()
    published = published or versions.filter(status=Version.Status.PUBLISHED).order_by("-effective_year").first()
    draft = versions.exclude(status=Version.Status.PUBLISHED).get()
    cycle = AssessmentCycle.objects.open().filter(agreement__slug=SYNTHETIC).get()
    # An officer whose return is still a draft, as Ashford's is at Kent scale: the same page.
    returns = cycle.returns.order_by("partnership__name")
    ret = returns.filter(status=AssessmentReturn.Status.DRAFT).first() or returns.first()
    officer = ret.partnership.officers.get().user.username
    result = pages_for(SYNTHETIC, published.number, draft.number, officer, cycle, action_plan(draft))
    result["pdf"] = page("Stored PDF download", f"/{SYNTHETIC}/{published.number}/pdf/", None, "%PDF")
    result["pdf_version"] = published.pk
    result["has_stored_pdf"] = bool(published.pdf)
    result["data"] = data_size()
    emit(result)


def data_size() -> dict:
    """How big the bench database is: what the pages were measured against."""
    from django.apps import apps

    from agreements.models import Agreement, Paragraph
    from assessments.models import Partnership

    histories = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    return {
        "agreements": Agreement.objects.count(), "editions": Version.objects.count(),
        "paragraphs": Paragraph.objects.count(), "partnerships": Partnership.objects.count(),
        "cycles": AssessmentCycle.objects.count(), "returns": AssessmentReturn.objects.count(),
        "return_items": ReturnItem.objects.count(), "users": User.objects.count(),
        "history_rows": sum(m.objects.count() for m in histories),
    }


def action_plan(draft: Version) -> str:
    """Kent's demo plan has two or three actions a priority, four updates each and a few indicators:
    the synthetic draft gets the same shape, and a lead for its first priority, whose name is returned."""
    from delivery.models import Action, ActionUpdate, Indicator, LeadAssignment

    lead, _ = User.objects.get_or_create(username=f"lead-{draft.agreement.slug}")
    first = draft.priorities.order_by("order").first()
    LeadAssignment.objects.get_or_create(user=lead, agreement=draft.agreement, priority_key=first.key)
    if draft.actions.exists():
        return lead.username
    quarters = [datetime.date(draft.effective_year, month, 28) for month in (6, 9, 12)]
    quarters.append(datetime.date(draft.effective_year + 1, 3, 28))
    for priority in draft.priorities.all():
        for number in range(3):
            action = Action(edition=draft, priority=priority, title=f"{priority.name}: action {number + 1}",
                            owner_organisation="Partner agency", responsible_lead="Lead officer",
                            start_date=quarters[0], due_date=quarters[-1])
            action.save()
            for day in quarters:
                action.post_update(ActionUpdate(date=day, progress="Delivered as planned.", status="on_target"))
        indicator = Indicator.objects.create(
            agreement=draft.agreement, priority_key=priority.key, name=f"{priority.name}: indicator",
            definition="Synthetic.", unit="cases", better="lower", source="Synthetic",
        )
        for index, day in enumerate(quarters):
            indicator.values.create(period="quarter", period_start=day.replace(day=1, month=day.month - 2),
                                    value=100 + index)
    return lead.username


def annual_review(cycle: AssessmentCycle) -> int:
    """The agreement's review of the cycle, KCST's draft with a proposal on each priority and theme."""
    from annual_review.models import AnnualReview, Proposal
    from annual_review.workflow import prefill_recommendations, start_review

    review = AnnualReview.objects.filter(cycle=cycle).first()
    if review is None:
        review = start_review(cycle.agreement, cycle, User.objects.get(username="kcst"))
        for item, records in ((Proposal.Item.PRIORITY, review.edition.priorities.all()),
                              (Proposal.Item.THEME, review.edition.themes.all())):
            for order, record in enumerate(records):
                Proposal.objects.create(review=review, item=item, action=Proposal.Action.RETAIN,
                                        current_keys=[record.key], order=order,
                                        reasoning_html=f"<p>{record.name} remains a concern across the county.</p>")
        prefill_recommendations(review)
    return review.pk


def pages_for(slug: str, published: str, draft: str, officer: str, cycle: AssessmentCycle, lead: str) -> dict:
    ret = AssessmentReturn.objects.get(cycle=cycle, partnership__officers__user__username=officer)
    review = annual_review(cycle)
    return {
        "annual_review": review,
        "pages": [
            page("Published edition", f"/{slug}/{published}/", None, f"Version {published}"),
            page("Draft review (changes marked)", f"/{slug}/{draft}/review/", "kcst", "What changed"),
            page("Draft review (changes only)", f"/{slug}/{draft}/review/?view=changes", "kcst", "Showing changes only"),
            page("Officer's return", f"/portal/returns/{ret.pk}/", officer, ret.partnership.name),
            page("KCST cycle dashboard", f"/portal/kcst/cycles/{cycle.pk}/", "kcst", cycle.label),
            page("Public list", "/", None, "Community Safety Agreements"),
            page("Working Group monitoring", f"/{slug}/{draft}/monitoring/", "kcst", "Actions by status"),
            page("Priority lead's actions", "/delivery/", lead, "Your actions"),
            page("Annual review", f"/{slug}/annual-reviews/{cycle.label}/", "kcst", "7 Proposals"),
        ],
    }


def queries(pages_json: str) -> None:
    """Queries of each page, in the order given: its first request (cold caches) and a second one."""
    result = []
    for p in json.loads(pages_json):
        c = client(p["user"])
        if p["user"]:
            c.get("/")  # a signed-in browser holds the CSRF cookie of its first page, as in sessions()
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = c.get(p["url"])
            counts.append(len(captured))
        result.append({"status": response.status_code, "cold": counts[0], "warm": counts[1]})
    emit(result)


def sessions(usernames: str) -> None:
    """The cookies a signed-in browser holds for each user, as a Cookie header: the session, and the
    CSRF cookie it got with its first page (the sign-out form in the header)."""
    cookies = {}
    for username in usernames.split(","):
        c = client(username)
        c.get("/")
        cookies[username] = "; ".join(f"{name}={c.cookies[name].value}" for name in ("sessionid", "csrftoken"))
    emit(cookies)


# Work outside requests -------------------------------------------------------------------------

def timed(fn, repeat: int) -> tuple[float, int]:
    """Median seconds of `repeat` calls after one warm-up, and the queries of one call."""
    fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(captured)


def aggregation(slug: str) -> None:
    """Appendix A of the agreement's latest cycle whose returns are all in, and the diff of its draft
    against its last published edition, as the review page computes them."""
    from documents.diff import compare
    from assessments.aggregation import appendix_a

    draft = Version.objects.filter(agreement__slug=slug).exclude(status=Version.Status.PUBLISHED).get()
    base = draft.previous_published()
    cycle = (AssessmentCycle.objects.filter(agreement__slug=slug, version__isnull=False)
             .exclude(returns__status__in=AssessmentReturn.EDITABLE).order_by("-opens_on").first())
    seconds, count = timed(lambda: appendix_a(cycle), 20)
    diff_seconds, diff_count = timed(lambda: compare(base, draft), 5)
    diff = compare(base, draft)
    emit({
        "appendix_a": {"cycle": f"{slug} {cycle.label}", "returns": cycle.returns.count(),
                       "ms": seconds * 1000, "queries": count},
        "diff": {"editions": f"{slug} {base.number} to {draft.number}", "changes": diff.total,
                 "ms": diff_seconds * 1000, "queries": diff_count},
    })


def pdf(version_id: str, repeat: str = "3") -> None:
    """Our pipeline (database to PDF, the tags' post-processing included) against WeasyPrint alone
    on the same HTML, alternated."""
    from documents.pdf import PDF_OPTIONS, document_html, lay_out, render_pdf

    version = Version.objects.get(pk=version_id)
    html = document_html(version)
    render_pdf(version)  # warm-up: fonts, stylesheets, images
    ours, weasy, html_times = [], [], []
    for _ in range(int(repeat)):
        started = time.perf_counter()
        content = render_pdf(version)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        lay_out(html).write_pdf(**PDF_OPTIONS)
        weasy.append(time.perf_counter() - started)
        started = time.perf_counter()
        document_html(version)
        html_times.append(time.perf_counter() - started)
    emit({
        "version": str(version), "bytes": len(content),
        "pipeline_s": statistics.median(ours), "weasyprint_s": statistics.median(weasy),
        "document_html_s": statistics.median(html_times),
    })


def review_pdf(review_id: str) -> None:
    """The annual review's committee report through our pipeline against WeasyPrint alone, alternated."""
    from annual_review.document import build_review
    from annual_review.models import AnnualReview
    from annual_review.pdf import render_review_pdf, review_html
    from documents.pdf import html_to_pdf

    review = AnnualReview.objects.get(pk=review_id)
    html = review_html(build_review(review), "report")
    render_review_pdf(review, "report")  # warm-up: fonts, stylesheets
    ours, weasy = [], []
    for _ in range(3):
        started = time.perf_counter()
        content = render_review_pdf(review, "report")
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        html_to_pdf(html)
        weasy.append(time.perf_counter() - started)
    emit({"review": str(review), "bytes": len(content), "pipeline_s": statistics.median(ours),
          "weasyprint_s": statistics.median(weasy)})


def pdf_memory(version_id: str) -> None:
    """Peak resident memory of this process around one render (a fresh process per measurement)."""
    from documents.pdf import render_pdf

    version = Version.objects.get(pk=version_id)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    render_pdf(version)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    emit({"before_mb": before / 1024, "peak_mb": peak / 1024})


def profile(page_json: str) -> None:
    """Where one page's time goes: pyinstrument over repeated requests, after a warm-up."""
    from pyinstrument import Profiler

    p = json.loads(page_json)
    c = client(p["user"])
    c.get(p["url"])
    profiler = Profiler(interval=0.001)
    count, started = 0, time.perf_counter()
    profiler.start()
    while count < 200 and (count < 5 or time.perf_counter() - started < 5):
        c.get(p["url"])
        count += 1
    profiler.stop()
    elapsed = time.perf_counter() - started
    root = profiler.last_session.root_frame()
    own: dict[str, float] = {}
    ours: dict[str, float] = {}
    kinds = {"waiting for PostgreSQL": 0.0, "rendering templates": 0.0}

    def walk(frame, stack):
        name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        children = [child for child in frame.children if not child.is_synthetic]
        own[name] = own.get(name, 0.0) + frame.time - sum(child.time for child in children)
        wrapper = frame.function == "__call__" or "bench/" in (frame.file_path or "")  # middleware, this script
        if frame.is_application_code and not wrapper and name not in stack:
            ours[name] = ours.get(name, 0.0) + frame.time
        if name.startswith("_execute (django/db/backends/utils.py") and "sql" not in stack:
            kinds["waiting for PostgreSQL"] += frame.time
            stack = stack | {"sql"}
        if name.startswith("render (django/template/backends/django.py") and "template" not in stack:
            kinds["rendering templates"] += frame.time
            stack = stack | {"template"}
        for child in children:
            walk(child, stack | {name})

    walk(root, frozenset())
    total = root.time or 1.0

    def top(table):
        return [{"frame": k, "share": v / total} for k, v in sorted(table.items(), key=lambda kv: -kv[1])[:12]]

    text = profiler.output_text(unicode=False, color=False, show_all=False)
    emit({
        "page": p["name"], "url": p["url"], "requests": count, "ms_per_request": elapsed / count * 1000,
        "self_time": top(own), "our_code": top(ours), "tree": text.splitlines()[:70],
        "kinds": {k: v / total for k, v in kinds.items()},
    })


STEPS = {
    "prepare_kent": prepare_kent, "pages_scale": pages_scale, "queries": queries, "sessions": sessions,
    "aggregation": aggregation, "pdf": pdf, "pdf_memory": pdf_memory, "profile": profile, "review_pdf": review_pdf,
}

if __name__ == "__main__":
    STEPS[sys.argv[1]](*sys.argv[2:])
