"""KCST staff manage the action plan in the admin: their group gains the delivery models' permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from agreements.roles import ensure_roles


def give_kcst_the_plan(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("delivery")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0003_discarded_achievements"),
        ("agreements", "0002_roles"),
    ]

    operations = [migrations.RunPython(give_kcst_the_plan, migrations.RunPython.noop)]
