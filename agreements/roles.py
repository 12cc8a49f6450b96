"""The roles people hold, as Django groups created by a data migration."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

KCST_STAFF = "KCST staff"
DISTRICT_OFFICER = "District officer"
KCSP_MEMBER = "KCSP member"
WORKING_GROUP_MEMBER = "Working Group member"

ALL_ROLES = (KCST_STAFF, DISTRICT_OFFICER, KCSP_MEMBER, WORKING_GROUP_MEMBER)

# The apps whose records KCST staff manage through the admin.
KCST_APPS = ("agreements", "assessments")


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Groups are cached on the user so a page asking several times costs one query.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return bool(user._role_names.intersection(roles))


def is_kcst(user) -> bool:
    return has_role(user, KCST_STAFF)


def can_read_drafts(user) -> bool:
    return has_role(user, KCST_STAFF, KCSP_MEMBER, WORKING_GROUP_MEMBER)


def ensure_roles(Group, Permission) -> None:
    """Create the role groups, giving KCST staff every permission on the KCST apps.

    Takes the models as arguments so the data migration can pass its historical ones.
    """
    kcst, _ = Group.objects.get_or_create(name=KCST_STAFF)
    kcst.permissions.set(Permission.objects.filter(content_type__app_label__in=KCST_APPS))
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
