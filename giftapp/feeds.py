from django.contrib.syndication.views import Feed

from .models import Gift, SanctionsFlag


class LatestGiftsFeed(Feed):
    # Placeholder until the feeds land.
    title = "Diplomatic Gift Registry: newly published gifts"
    link = "/gifts/"

    def items(self):
        return Gift.objects.none()


class LatestFlagsFeed(Feed):
    title = "Diplomatic Gift Registry: newly published sanctions flags"
    link = "/sanctions/"

    def items(self):
        return SanctionsFlag.objects.none()
