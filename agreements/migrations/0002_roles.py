"""Creates the role groups and gives KCST staff the admin permissions they need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

KCST_STAFF = "KCST staff"
OTHER_ROLES = ("District officer", "KCSP member", "Working Group member")
KCST_APPS = ("agreements", "assessments")


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    kcst, _ = Group.objects.get_or_create(name=KCST_STAFF)
    kcst.permissions.set(Permission.objects.filter(content_type__app_label__in=KCST_APPS))
    for name in OTHER_ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=(KCST_STAFF, *OTHER_ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("assessments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
