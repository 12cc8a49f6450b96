from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from agreements import roles
from agreements.models import Agreement
from assessments.models import PartnershipOfficer

DEMO_PASSWORD = "csa-demo-2024"

# (username, full name, role, partnership slug), all in Kent's agreement. Invented names: the people in
# the seeds are real.
DEMO_USERS = [
    ("kcst", "Kim Officer", roles.KCST_STAFF, None),
    ("kcsp", "Pat Member", roles.KCSP_MEMBER, None),
    ("working-group", "Sam Reviewer", roles.WORKING_GROUP_MEMBER, None),
    ("officer-ashford", "Alex Ashford", roles.DISTRICT_OFFICER, "ashford"),
    ("officer-canterbury", "Chris Canterbury", roles.DISTRICT_OFFICER, "canterbury"),
]


class Command(BaseCommand):
    help = "Creates one demo user per role in the Kent agreement (demo set-up only) and prints their log-ins."

    @transaction.atomic
    def handle(self, **options):
        kent = Agreement.objects.get(slug="kent")
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        for username, full_name, role, partnership_slug in DEMO_USERS:
            first, last = full_name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org",
                          "is_staff": role == roles.KCST_STAFF},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if not partnership_slug:
                roles.grant(user, role, kent)
            else:
                user.groups.add(Group.objects.get(name=role))
                PartnershipOfficer.objects.get_or_create(
                    user=user,
                    defaults={"partnership": kent.partnerships.get(slug=partnership_slug),
                              "can_confirm_local_signoff": partnership_slug == "ashford"},
                )
        self.stdout.write("Demo log-ins (password for all: %s):" % DEMO_PASSWORD)
        self.stdout.write(f"  {'admin':20} superuser")
        for username, _, role, partnership_slug in DEMO_USERS:
            where = f" ({partnership_slug})" if partnership_slug else " (kent)"
            self.stdout.write(f"  {username:20} {role}{where}")
        if settings.TWO_FACTOR_REQUIRED:
            self.stdout.write("Two-factor sign-in is on: admin and kcst set up an authenticator app at their "
                              "first sign-in (TWO_FACTOR_REQUIRED=false turns it off for a demo).")
        else:
            self.stdout.write("Two-factor sign-in is off for this demo (TWO_FACTOR_REQUIRED=false): "
                              "every log-in above needs only its name and password.")
