"""KCST staff see and edit their agreements' annual reviews in the admin: their group gains the
annual review models' permissions."""

from django.db import migrations

from agreements.roles import kcst_permissions_step


class Migration(migrations.Migration):
    dependencies = [
        ("annual_review", "0001_annual_reviews"),
        ("agreements", "0002_roles"),
        ("delivery", "0004_kcst_permissions"),
    ]

    operations = [migrations.RunPython(kcst_permissions_step("annual_review"), migrations.RunPython.noop)]
