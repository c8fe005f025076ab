from django.conf import settings


def registry(request):
    return {"contact_email": settings.REGISTRY_CONTACT_EMAIL}
