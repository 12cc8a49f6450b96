"""A synthetic national installation for `make bench`: many agreements, CSPs, cycles and editions.

Every agreement gets editions of the size of a loaded source edition (Kent 8.0 by default), each
one a refresh of the one before with some paragraphs and a lead edited, as KCST would in the
admin; districts and partnerships with one officer each; and assessment cycles whose returns are
all filled in. Rows are written in bulk with their history (`bulk_create_with_history`,
`bulk_update_with_history`), dated as the edits would have been, so the history tables hold what
real use leaves. Agreements already made are skipped, so running it again changes nothing.
"""

from __future__ import annotations

import copy
import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agreements import roles
from agreements.interchange import edition_to_dict, load_edition
from agreements.models import EDITION_PARTS, Agreement, Lead, Paragraph, Version
from agreements.workflow import record_past_status, transition
from assessments.models import (
    AssessmentCycle,
    AssessmentReturn,
    Category,
    District,
    MorileScore,
    Partnership,
    PartnershipOfficer,
    ReturnEvent,
    ReturnItem,
)

KINDS = [ReturnItem.Kind.MAIN, ReturnItem.Kind.CROSS_CUTTING, ReturnItem.Kind.WITHIN_THEME]
EDITS = [
    "The partnership reviewed this in {year} and the wording was brought up to date.",
    "Figures for {year} confirm the trend described above.",
    "Partners agreed in {year} to keep this under review through the Working Group.",
    "Since {year} this has been reported to the KCSP every quarter.",
]
NOTES = [
    ("Ch.3", "Ch.3 – changes made to the landscape, legislation and partnership challenges"),
    ("Ch.5", "Ch.5 – achievements for {season} added"),
    ("Ch.6", "Ch.6 – minor update around latest review"),
    ("Ch.7", "Ch.7 – change to the list of leads"),
    ("Appendix A", "Appendix A – strategic assessment outcomes updated"),
    ("Appendix C", "Appendix C – refreshed horizon scanning"),
]


class Command(BaseCommand):
    help = "Makes a synthetic data set at national scale for make bench (needs the Kent data loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=20, help="How many agreements (default 20).")
        parser.add_argument("--partnerships", type=int, default=300, help="CSPs in all, shared out (default 300).")
        parser.add_argument("--cycles", type=int, default=10, help="Assessment cycles per agreement (default 10).")
        parser.add_argument("--editions", type=int, default=15, help="Editions per agreement (default 15).")
        parser.add_argument("--items", type=int, default=8, help="Issues per return, on average (default 8).")
        parser.add_argument("--edited", type=float, default=0.15,
                            help="Share of paragraphs KCST edits in each refresh (default 0.15).")
        parser.add_argument("--stored-pdfs", type=int, default=1,
                            help="Agreements whose last published edition goes through the whole sign-off "
                                 "route and stores its PDF (about 4 s each; default 1).")
        parser.add_argument("--source", default="kent/8.0", help="The edition every agreement copies (slug/number).")
        parser.add_argument("--prefix", default="scale", help="Slug prefix of the synthetic agreements.")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, **options):
        self.options = options
        if options["editions"] < 2 or options["cycles"] < 1 or options["agreements"] < 1:
            raise CommandError("Give at least 1 agreement, 2 editions and 1 cycle.")
        if options["cycles"] > options["editions"]:
            raise CommandError("Each cycle feeds one edition: give no more cycles than editions.")
        if options["partnerships"] < options["agreements"]:
            raise CommandError("Give at least one partnership per agreement.")
        self.source = self.source_edition(options["source"])
        self.source_data = edition_to_dict(self.source)
        self.categories = self.source_categories()
        self.kcst = self.make_kcst_user()
        self.password = make_password(None)  # officers of synthetic CSPs cannot log in with a password
        started = time.perf_counter()
        per_agreement = self.share(options["partnerships"], options["agreements"])
        for index in range(options["agreements"]):
            slug = f"{options['prefix']}-{index + 1:02d}"
            if Agreement.objects.filter(slug=slug).exists():
                self.stdout.write(f"{slug}: already made")
                continue
            begun = time.perf_counter()
            with transaction.atomic():
                self.make_agreement(index, slug, per_agreement[index])
            self.stdout.write(f"{slug}: made in {time.perf_counter() - begun:.1f} s")
        self.stdout.write(f"Scale data made in {time.perf_counter() - started:.0f} s.")

    # Sources -------------------------------------------------------------------------------------

    def source_edition(self, source: str) -> Version:
        slug, _, number = source.partition("/")
        version = Version.objects.filter(agreement__slug=slug, number=number).first()
        if version is None:
            raise CommandError(
                f"No edition {source}: load it first (manage.py load_agreement fixtures/kent)."
            )
        return version

    def source_categories(self) -> list[Category]:
        cycle = AssessmentCycle.objects.filter(agreement=self.source.agreement).order_by("-opens_on").first()
        categories = list(Category.objects.filter(cycle=cycle).order_by("order")) if cycle else []
        if len(categories) < 4:
            raise CommandError(f"The {self.source.agreement} has no cycle with a category list to copy.")
        return categories

    def make_kcst_user(self) -> User:
        user, created = User.objects.get_or_create(
            username=f"{self.options['prefix']}-kcst",
            defaults={"first_name": "Synthetic", "last_name": "KCST", "email": "", "is_staff": True},
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user

    @staticmethod
    def share(total: int, parts: int) -> list[int]:
        return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]

    # One agreement -------------------------------------------------------------------------------

    def make_agreement(self, index: int, slug: str, partnership_count: int) -> None:
        options = self.options
        rng = random.Random(f"{options['seed']}-{slug}")
        area = f"Synthetic County {index + 1:02d}"
        agreement = Agreement.objects.create(
            slug=slug, name=f"{area} Community Safety Agreement", area=area,
            contact_html=self.source.agreement.contact_html,
        )
        roles.grant(self.kcst, roles.KCST_STAFF, agreement)
        partnerships = self.make_partnerships(agreement, slug, partnership_count)
        editions = options["editions"]
        # The last edition is next April's draft; the one before is this April's.
        today = timezone.localdate()
        draft_year = today.year + 1 if today.month >= 4 else today.year
        first_year = draft_year - editions + 1
        data = copy.deepcopy(self.source_data)
        previous = None
        for n in range(1, editions + 1):
            year = first_year + n - 1
            data = self.next_data(data, agreement, year, rng)
            version = load_edition(
                agreement, data, number=f"{n}.0", effective_year=year, based_on=previous,
                status=Version.Status.DRAFT, user=self.kcst,
            )
            self.date_history(version, year)
            self.edit(version, data, year, rng)
            cycle_number = n - (editions - options["cycles"])
            if cycle_number >= 1:
                self.make_cycle(agreement, version, partnerships, year, open_now=n == editions, rng=rng)
            if n < editions:
                if n == editions - 1 and index < options["stored_pdfs"]:
                    self.publish(version, year)
                else:
                    record_past_status(version, Version.Status.PUBLISHED, "Synthetic edition (make_scale_data).")
            previous = version

    def make_partnerships(self, agreement: Agreement, slug: str, count: int) -> list[Partnership]:
        when = timezone.now() - datetime.timedelta(days=365 * self.options["editions"])
        districts = bulk_create_with_history([
            District(slug=f"{slug}-d{j + 1:02d}", name=f"{agreement.area} District {j + 1:02d}", agreement=agreement)
            for j in range(count)
        ], District, default_user=self.kcst, default_date=when)
        partnerships = bulk_create_with_history([
            Partnership(slug=f"{slug}-csp-{j + 1:02d}", agreement=agreement, active_from=2010,
                        name=f"{agreement.area} District {j + 1:02d} Community Safety Partnership",
                        email=f"csp-{j + 1:02d}@{slug}.example")
            for j in range(count)
        ], Partnership, default_user=self.kcst, default_date=when)
        Partnership.districts.through.objects.bulk_create([
            Partnership.districts.through(partnership_id=p.pk, district_id=d.pk)
            for p, d in zip(partnerships, districts)
        ])
        users = User.objects.bulk_create([
            User(username=f"{slug}-officer-{j + 1:02d}", first_name="Officer", last_name=f"{j + 1:02d}",
                 email=f"officer-{j + 1:02d}@{slug}.example", password=self.password)
            for j in range(count)
        ])
        officer_group = Group.objects.get(name=roles.DISTRICT_OFFICER)
        User.groups.through.objects.bulk_create([
            User.groups.through(user_id=u.pk, group_id=officer_group.pk) for u in users
        ])
        bulk_create_with_history([
            PartnershipOfficer(user=u, partnership=p, can_confirm_local_signoff=True)
            for u, p in zip(users, partnerships)
        ], PartnershipOfficer, default_user=self.kcst, default_date=when)
        return partnerships

    # Editions ------------------------------------------------------------------------------------

    def next_data(self, data: dict, agreement: Agreement, year: int, rng: random.Random) -> dict:
        """The next refresh as KCST starts it: last year's content, new change notes, one new
        paragraph on the landscape in place of last year's."""
        data = copy.deepcopy(data)
        season = f"{year - 1}/{year % 100:02d}"
        data["change_notes"] = [
            {"section": "", "text": f"Refreshed {agreement.name}"},
            {"section": "", "text": f"Effective date changed to April {year}"},
            *({"section": s, "text": t.format(season=season)} for s, t in rng.sample(NOTES, 4)),
        ]
        data["historical"] = False
        data["sources"] = ""
        data["status"] = Version.Status.DRAFT
        for chapter in data["chapters"]:
            for paragraph in chapter["paragraphs"]:
                paragraph["to_be_updated"] = False
            if chapter["key"] == "landscape":
                chapter["paragraphs"] = [p for p in chapter["paragraphs"] if not p["key"].startswith("landscape-in-")]
                chapter["paragraphs"].append({
                    "key": f"landscape-in-{year}", "style": "numbered",
                    "html": f"<p>In {season} the partnership saw new pressures on services, set out in the "
                            f"strategic assessments summarised in Appendix A.</p>",
                })
        return data

    def date_history(self, version: Version, year: int) -> None:
        """History rows dated when the refresh was started (the autumn before the edition)."""
        when = datetime.datetime(year - 1, 10, 1, 9, tzinfo=datetime.timezone.utc)
        for model in EDITION_PARTS:
            model.history.filter(**{model.version_path: version}).update(history_date=when)

    def edit(self, version: Version, data: dict, year: int, rng: random.Random) -> None:
        """Edits as KCST makes them in the admin: some paragraphs reworded, sometimes a lead."""
        when = datetime.datetime(year - 1, 12, 1, 10, tzinfo=datetime.timezone.utc)
        paragraphs = [
            p for p in Paragraph.objects.filter(chapter__version=version).select_related("chapter")
            if p.style == Paragraph.Style.NUMBERED
        ]
        chosen = rng.sample(paragraphs, max(1, round(len(paragraphs) * self.options["edited"])))
        by_key = {(c["key"], p["key"]): p for c in data["chapters"] for p in c["paragraphs"]}
        for paragraph in chosen:
            sentence = rng.choice(EDITS).format(year=year - 1)
            html = paragraph.html
            paragraph.html = f"{html[:-4]} {sentence}</p>" if html.endswith("</p>") else f"{html} {sentence}"
            paragraph.revision += 1
            by_key[(paragraph.chapter.key, paragraph.key)]["html"] = paragraph.html
        bulk_update_with_history(chosen, Paragraph, ["html", "revision"], default_user=self.kcst,
                                 default_date=when, default_change_reason="Edited in the admin")
        if year % 3 == 0:
            leads = list(Lead.objects.filter(priority__version=version).select_related("priority"))
            if leads:
                lead = rng.choice(leads)
                lead.role, lead.tbc = f"Head of Community Safety ({year})", False
                lead.revision += 1
                bulk_update_with_history([lead], Lead, ["role", "tbc", "revision"], default_user=self.kcst,
                                         default_date=when, default_change_reason="Edited in the admin")
                for priority in data["priorities"]:
                    if priority["key"] == lead.priority.key:
                        priority["lead"] = {"role": lead.role, "organisation": lead.organisation, "tbc": False}

    def publish(self, version: Version, year: int) -> None:
        """The whole sign-off route, which renders the PDF and stores it with its SHA-256."""
        transition(version, "send_to_working_group", self.kcst, note="Synthetic edition.")
        transition(version, "consult_kcsp", self.kcst, note="")
        transition(version, "record_agreement", self.kcst, meeting_date=datetime.date(year, 3, 15),
                   minute="RESOLVED that the priorities be agreed.", note="")
        transition(version, "publish", self.kcst, note="")

    # Assessment cycles ---------------------------------------------------------------------------

    def make_cycle(self, agreement: Agreement, version: Version, partnerships: list[Partnership], year: int,
                   open_now: bool, rng: random.Random) -> None:
        """A cycle feeding `version`, with every partnership's return filled in. All are accepted,
        except in the cycle open now, where some are still with the officers or with KCST."""
        label = f"{year - 1}-{year % 100:02d}"
        today = timezone.localdate()
        if open_now:
            opens_on, due_on, closed_on = today - datetime.timedelta(days=60), today + datetime.timedelta(days=30), None
        else:
            opens_on, due_on = datetime.date(year - 1, 9, 1), datetime.date(year, 1, 31)
            closed_on = due_on
        created = datetime.datetime.combine(opens_on, datetime.time(9), tzinfo=datetime.timezone.utc)
        submitted = datetime.datetime.combine(min(due_on, today), datetime.time(12), tzinfo=datetime.timezone.utc)
        cycle = bulk_create_with_history([AssessmentCycle(
            agreement=agreement, label=label, version=version, opens_on=opens_on, due_on=due_on,
            closed_on=closed_on, other_focus_areas="cost of living, safe town centres, public confidence",
        )], AssessmentCycle, default_user=self.kcst, default_date=created)[0]
        categories = bulk_create_with_history([
            Category(cycle=cycle, key=c.key, name=c.name, includes=c.includes, synonyms=c.synonyms, order=c.order)
            for c in self.categories
        ], Category, default_user=self.kcst, default_date=created)
        returns = bulk_create_with_history([
            AssessmentReturn(cycle=cycle, partnership=p, description=f"{p.name} strategic assessment {label}")
            for p in partnerships
        ], AssessmentReturn, default_date=created)
        officers = dict(PartnershipOfficer.objects.filter(partnership__in=partnerships)
                        .values_list("partnership_id", "user_id"))
        statuses = []
        for r in returns:
            roll = rng.random()
            if open_now and roll < 0.2:
                statuses.append(AssessmentReturn.Status.DRAFT)
            elif open_now and roll < 0.4:
                statuses.append(AssessmentReturn.Status.SUBMITTED)
            else:
                statuses.append(AssessmentReturn.Status.ACCEPTED)
        items, scores = [], []
        for r in returns:
            count = max(2, min(len(categories), self.options["items"] + rng.randint(-2, 2)))
            for order, category in enumerate(rng.sample(categories, count)):
                items.append(ReturnItem(assessment_return=r, category=category, kind=rng.choice(KINDS), order=order,
                                        note="Rising locally" if rng.random() < 0.2 else ""))
            for category in rng.sample(categories, 3):
                scores.append(MorileScore(
                    assessment_return=r, issue=category.name,
                    harm=Decimal(rng.randint(10, 900)), likelihood=Decimal(rng.randint(10, 900)),
                    organisational_position=Decimal(rng.randint(10, 900)),
                ))
        drafted = created + datetime.timedelta(days=20)
        items = bulk_create_with_history(items, ReturnItem, default_date=drafted, batch_size=2000)
        bulk_create_with_history(scores, MorileScore, default_date=drafted, batch_size=2000)
        # Officers reword some issues before they submit.
        reworded = [item for item in items if rng.random() < 0.25]
        for item in reworded:
            item.note = (item.note + " Reviewed with partners.").strip()
        bulk_update_with_history(reworded, ReturnItem, ["note"], default_date=drafted + datetime.timedelta(days=5),
                                 batch_size=2000)
        # Submitted, then accepted by KCST: one history row and one event for each step.
        sent = [r for r, s in zip(returns, statuses) if s != AssessmentReturn.Status.DRAFT]
        for r in sent:
            r.status, r.local_signoff = AssessmentReturn.Status.SUBMITTED, AssessmentReturn.LocalSignoff.AGREED
            r.submitted_by_id, r.submitted_at = officers.get(r.partnership_id), submitted
            r.signoff_confirmed_by_id, r.signoff_confirmed_at = r.submitted_by_id, submitted
            r.revision += 1
        bulk_update_with_history(sent, AssessmentReturn, [
            "status", "local_signoff", "submitted_by", "submitted_at", "signoff_confirmed_by",
            "signoff_confirmed_at", "revision",
        ], default_date=submitted)
        accepted = [r for r, s in zip(returns, statuses) if s == AssessmentReturn.Status.ACCEPTED]
        for r in accepted:
            r.status = AssessmentReturn.Status.ACCEPTED
            r.revision += 1
        bulk_update_with_history(accepted, AssessmentReturn, ["status", "revision"], default_user=self.kcst,
                                 default_date=submitted + datetime.timedelta(days=7))
        ReturnEvent.objects.bulk_create([
            *(ReturnEvent(assessment_return=r, action=ReturnEvent.Action.SUBMITTED, by_id=r.submitted_by_id,
                          at=submitted) for r in sent),
            *(ReturnEvent(assessment_return=r, action=ReturnEvent.Action.ACCEPTED, by=self.kcst,
                          at=submitted + datetime.timedelta(days=7)) for r in accepted),
        ])
