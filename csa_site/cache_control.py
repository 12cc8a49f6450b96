"""Nothing but public content may be kept by a browser or a proxy: every other response says
`Cache-Control: private, no-store`.

A view marks a response public (`public(response)`) when anyone may read it as it stands: the
public list, a published edition's page as the public gets it, a published edition's stored PDF.
A response that sets a cookie is private whatever its view says.
"""

from django.utils.cache import patch_cache_control


def public(response):
    response.is_public = True
    return response


class CacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "is_public", False) or response.cookies:
            patch_cache_control(response, private=True, no_store=True)
        return response
