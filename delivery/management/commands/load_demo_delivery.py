from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from agreements.models import Agreement
from assessments.management.commands.create_demo_users import DEMO_PASSWORD
from delivery.demo import assign_demo_lead, load_demo_plan

DEMO_PLAN = settings.BASE_DIR / "fixtures" / "kent" / "delivery-demo.json"
# An invented name, as for the other demo users.
DEMO_LEAD = ("lead-domestic-abuse", "Jo", "Lead", "domestic-abuse")


class Command(BaseCommand):
    help = "Loads Kent's illustrative action plan and a demo priority lead (demo set-up only), and prints the log-in."

    def handle(self, **options):
        kent = Agreement.objects.get(slug="kent")
        added = load_demo_plan(kent, DEMO_PLAN)
        username, first, last, priority_key = DEMO_LEAD
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        assign_demo_lead(user, kent, priority_key)
        self.stdout.write(f"Illustrative action plan: {added} action(s) added.")
        self.stdout.write(f"  {username:20} Priority lead ({priority_key}), password {DEMO_PASSWORD}")
