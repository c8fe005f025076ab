from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _setup_roles(sender, using, **kwargs):
    from .editorial.workflow import setup_roles

    setup_roles(using=using)


class GiftappConfig(AppConfig):
    default = True
    name = "giftapp"
    verbose_name = "Gift registry"

    def ready(self):
        # The roles follow the permissions, which exist only after migrate has run.
        post_migrate.connect(_setup_roles, sender=self, dispatch_uid="giftapp.setup_roles")
        from .cache import connect_invalidation

        connect_invalidation(self)
        # The editorial side registers its ModelAdmins with the registry's admin site.
        from .editorial import admin  # noqa: F401


class RegistryAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the registry's site: review queue and data-quality pages."""

    default = False
    default_site = "giftapp.editorial.site.RegistryAdminSite"
