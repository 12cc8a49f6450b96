from collections import defaultdict

from django.core.management.base import BaseCommand

from review import notify
from review.models import Comment, ReviewerSettings


class Command(BaseCommand):
    help = "E-mail each member who chose the daily digest KCST's answers to their comments since the last one."

    def handle(self, *args, **options):
        daily = set(
            ReviewerSettings.objects.filter(replies=ReviewerSettings.Replies.DAILY).values_list("user", "agreement")
        )
        waiting = defaultdict(list)
        answered = (Comment.objects.filter(replied_at__isnull=False).exclude(author__email="")
                    .select_related("author", "replied_by", "version__agreement").order_by("created_at", "pk"))
        for comment in answered:
            if (comment.author_id, comment.version.agreement_id) in daily and comment.answer_unmailed:
                waiting[comment.author].append(comment)
        for author, comments in waiting.items():
            notify.send_digest(author, comments)
        self.stdout.write(f"Sent {len(waiting)} digest{'' if len(waiting) == 1 else 's'}.")
