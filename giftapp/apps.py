from django.apps import AppConfig


class GiftappConfig(AppConfig):
    name = "giftapp"
    verbose_name = "Gift registry"
