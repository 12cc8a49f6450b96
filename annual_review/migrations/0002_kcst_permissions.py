"""KCST staff see and edit their agreements' annual reviews in the admin: their group gains the
annual review models' permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from agreements.roles import ensure_roles


def give_kcst_the_reviews(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("annual_review")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("annual_review", "0001_annual_reviews"),
        ("agreements", "0002_roles"),
        ("delivery", "0004_kcst_permissions"),
    ]

    operations = [migrations.RunPython(give_kcst_the_reviews, migrations.RunPython.noop)]
