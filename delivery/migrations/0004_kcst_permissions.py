"""KCST staff manage the action plan in the admin: their group gains the delivery models' permissions."""

from django.db import migrations

from agreements.roles import kcst_permissions_step


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0003_discarded_achievements"),
        ("agreements", "0002_roles"),
    ]

    operations = [migrations.RunPython(kcst_permissions_step("delivery"), migrations.RunPython.noop)]
