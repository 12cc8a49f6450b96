from django.conf import settings
from django.core.mail import send_mail

from agreements.notifications import people_in, subject_line
from agreements.roles import KCST_STAFF


def comment_added(comment) -> None:
    version = comment.version
    recipients = people_in(version.agreement_id, KCST_STAFF)
    if not recipients:
        return
    link = settings.SITE_URL + comment.url
    author = comment.author.get_full_name() or comment.author.username
    send_mail(
        subject_line(f"New comment on {comment.place if comment.subject_id else f'{version.agreement.name} {version.number}'}"),
        f"{author} commented on {comment.target_label}:\n\n"
        f"{comment.text}\n\nAnswer it here: {link}#comment-{comment.pk}",
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
