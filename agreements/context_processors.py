from .roles import DISTRICT_OFFICER, KCSP_MEMBER, WORKING_GROUP_MEMBER, has_role, is_kcst


def roles(request) -> dict:
    """What the navigation offers; the views check access again for themselves."""
    user = request.user
    return {
        "nav_kcst": is_kcst(user),
        "nav_officer": has_role(user, DISTRICT_OFFICER) and not user.is_superuser,
        "nav_reviewer": has_role(user, KCSP_MEMBER, WORKING_GROUP_MEMBER) and not user.is_superuser,
    }
