"""Roles were installation-wide groups; each holder now keeps the role in every agreement there is."""

from django.db import migrations

PER_AGREEMENT = ("KCST staff", "KCSP member", "Working Group member")


def hold_roles_per_agreement(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("agreements", "Membership")
    for group in Group.objects.filter(name__in=PER_AGREEMENT):
        for user in group.user_set.all():
            for agreement in Agreement.objects.all():
                Membership.objects.get_or_create(user=user, agreement=agreement, role=group.name)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0010_memberships")]

    operations = [migrations.RunPython(hold_roles_per_agreement, migrations.RunPython.noop)]
