"""Atom feeds of newly published gifts and sanctions flags (public records only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .queries.latest import newly_published_flags, newly_published_gifts
from .sentences import gift_sentence
from .templatetags.registry import fuzzy_date

FEED_ITEMS = 50


def _html_paragraphs(*texts):
    """Plain texts as escaped HTML paragraphs: an Atom summary of type html is decoded
    once by readers, so editor text must arrive escaped, never as markup."""
    return "".join(f"<p>{escape(text)}</p>" for text in texts if text)


class LatestGiftsFeed(Feed):
    feed_type = Atom1Feed
    title = "Diplomatic Gift Registry: newly published gifts"
    subtitle = "Gifts between state leaders and officials, newest published first."
    link = reverse_lazy("gift_list")
    author_name = "Diplomatic Gift Registry"

    def items(self):
        return newly_published_gifts().select_related("giver", "recipient", "visit")[:FEED_ITEMS]

    def item_title(self, gift):
        return gift.item

    def item_description(self, gift):
        return _html_paragraphs(gift_sentence(gift, html=False), gift.description)

    def item_pubdate(self, gift):
        return gift.published_at or gift.created_at

    def item_updateddate(self, gift):
        return gift.updated_at

    def item_categories(self, gift):
        return [gift.get_category_display()]


class LatestFlagsFeed(Feed):
    feed_type = Atom1Feed
    title = "Diplomatic Gift Registry: newly published sanctions flags"
    subtitle = (
        "Claims that a gift may breach a sanctions regime, newest published first. "
        "A flag is a claim, never a verdict."
    )
    link = reverse_lazy("regime_list")
    author_name = "Diplomatic Gift Registry"

    def items(self):
        return newly_published_flags()[:FEED_ITEMS]

    def item_title(self, flag):
        return f"{flag.get_status_display()} · {flag.regime.label}: {flag.gift.item}"

    def item_description(self, flag):
        claim = f"{flag.alleged_by or 'It'} alleged"
        if flag.alleged_on:
            claim += f" on {fuzzy_date(flag.alleged_on)}"
        claim += f" that “{flag.gift.item}” may breach {flag.regime.name}."
        return _html_paragraphs(
            f"{flag.get_status_display()}: {claim}",
            f"Provisions relied on: {flag.provisions}" if flag.provisions else "",
            f"Denied by {flag.denied_by}." if flag.denied_by else "",
            "A flag records a claim, never a verdict.",
        )

    def item_link(self, flag):
        return flag.get_absolute_url()

    def item_pubdate(self, flag):
        return flag.published_at or flag.created_at

    def item_updateddate(self, flag):
        return flag.updated_at

    def item_categories(self, flag):
        return [flag.regime.code, flag.get_status_display()]
