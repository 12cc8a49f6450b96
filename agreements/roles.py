"""The roles people hold, per agreement.

KCST staff, KCSP members and Working Group members hold their role in one agreement (a Membership
row) and reach nothing of another agreement; a superuser reaches everything. The Django groups of
the same names carry the admin's model permissions, and `grant` keeps the two together. A district
officer is tied to one partnership (assessments' PartnershipOfficer), hence to its agreement; their
group says only that they are one.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db.models import Q, QuerySet, Value

from .models import Agreement, Membership, Version

KCST_STAFF = Membership.Role.KCST_STAFF.value
KCSP_MEMBER = Membership.Role.KCSP_MEMBER.value
WORKING_GROUP_MEMBER = Membership.Role.WORKING_GROUP_MEMBER.value
DISTRICT_OFFICER = "District officer"

ALL_ROLES = (KCST_STAFF, DISTRICT_OFFICER, KCSP_MEMBER, WORKING_GROUP_MEMBER)
DRAFT_READERS = (KCST_STAFF, KCSP_MEMBER, WORKING_GROUP_MEMBER)

# The apps whose records KCST staff manage through the admin.
KCST_APPS = ("agreements", "assessments", "delivery", "annual_review")

AnyUser = AbstractBaseUser | AnonymousUser


def grant(user, role: str, agreement: Agreement) -> Membership:
    """Gives the user the role in this agreement, and the group that carries its admin permissions."""
    membership, _ = Membership.objects.get_or_create(user=user, agreement=agreement, role=role)
    user.groups.add(Group.objects.get(name=role))
    if hasattr(user, "_roles_held"):
        del user._roles_held
    return membership


def _held(user) -> set[tuple[int, str]]:
    """(agreement id, role) pairs; a district officer's group comes as (0, DISTRICT_OFFICER).

    One query per user object, however often a page asks (the same cost as reading the groups).
    """
    if not hasattr(user, "_roles_held"):
        memberships = Membership.objects.filter(user=user).order_by().values_list("agreement_id", "role")
        officer = user.groups.filter(name=DISTRICT_OFFICER).values_list(Value(0), "name")
        user._roles_held = set(memberships.union(officer))
    return user._roles_held


def has_role(user: AnyUser, *roles: str, agreement: Agreement | int | None = None) -> bool:
    """Whether the user holds one of the roles in this agreement (in any agreement, if none is named).

    A district officer is one in the agreement of their partnership: ask with no agreement.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    wanted = getattr(agreement, "pk", agreement)
    return any(role in roles and wanted in (None, held) for held, role in _held(user))


def agreements_of(user: AnyUser, *roles: str) -> set[int] | None:
    """The ids of the agreements in which the user holds one of the roles; None for a superuser (all)."""
    if user.is_superuser:
        return None
    if not user.is_authenticated:
        return set()
    return {agreement for agreement, role in _held(user) if role in roles and agreement}


def within(queryset: QuerySet, user: AnyUser, *roles: str) -> QuerySet:
    """The records of the queryset that belong to agreements in which the user holds one of the roles.

    Each model names the path to its agreement in `agreement_path` (e.g. "cycle__agreement").
    """
    ids = agreements_of(user, *roles)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{queryset.model.agreement_path}__in": ids})


def is_kcst(user: AnyUser, agreement: Agreement | int | None = None) -> bool:
    return has_role(user, KCST_STAFF, agreement=agreement)


def can_read_drafts(user: AnyUser, agreement: Agreement | int | None = None) -> bool:
    return has_role(user, *DRAFT_READERS, agreement=agreement)


def ensure_roles(Group, Permission) -> None:
    """Create the role groups, giving KCST staff every permission on the KCST apps.

    Takes the models as arguments so the data migration can pass its historical ones. Who holds
    which role in which agreement is for superusers to set, so memberships are not among them.
    """
    kcst, _ = Group.objects.get_or_create(name=KCST_STAFF)
    kcst.permissions.set(
        Permission.objects.filter(content_type__app_label__in=KCST_APPS)
        .exclude(content_type__model__in=["membership", "historicalmembership"])
    )
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)


def kcst_permissions_step(app_label: str):
    """A data migration's step giving KCST staff the permissions of the app's models added so far
    (Django creates permissions only after all migrations; the group needs them now)."""
    from django.contrib.auth.management import create_permissions

    def step(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))

    return step


def editions_for(user) -> QuerySet[Version]:
    """Published editions for everyone; drafts too for KCST staff, KCSP and Working Group members
    of the draft's own agreement."""
    readers_of = agreements_of(user, *DRAFT_READERS)
    if readers_of is None:
        return Version.objects.all()
    return Version.objects.filter(Q(status=Version.Status.PUBLISHED) | Q(agreement__in=readers_of))


def home_for(user: AnyUser) -> str:
    """The URL name of the page a person lands on after signing in, by role (an officer with a return
    is sent to it first): Working Group and KCSP members to what awaits their review, others to the public list."""
    if has_role(user, KCSP_MEMBER, WORKING_GROUP_MEMBER) and not user.is_superuser:
        return "reviews_home"
    return "home"
