from django.utils.functional import SimpleLazyObject

from .models import LeadAssignment


def leads(request) -> dict:
    """Whether the navigation offers "Your actions"; asked only on pages whose header reaches it."""
    return {"nav_lead": SimpleLazyObject(lambda: LeadAssignment.leads(request.user))}
