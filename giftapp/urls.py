from django.urls import path, re_path

from . import feeds
from .cache import cache_public_page as cached
from .filters import GiftFilter
from .queries.timeline import TimelineForm
from .views import gifts, pages

# The query parameters each list reads; any other is redirected away (cache.py).
GIFT_LIST_PARAMS = {*GiftFilter.base_filters, "page", "format"}
INDEX_PARAMS = {"q", "sort", "page"}
TIMELINE_PARAMS = {*TimelineForm.base_fields}

# Every public page is cached whole and invalidated on any change (giftapp/cache.py);
# exports (?format=…) are streamed and never cached.
urlpatterns = [
    path("", cached(pages.home), name="home"),
    path("about/", cached(pages.about), name="about"),
    path("gifts/", cached(gifts.GiftListView.as_view(), GIFT_LIST_PARAMS), name="gift_list"),
    path("gifts/<int:pk>/", cached(pages.gift_detail), name="gift_detail"),
    path("visits/", cached(pages.visit_list, {"page"}), name="visit_list"),
    path("visits/<slug:slug>/", cached(pages.visit_detail), name="visit_detail"),
    path("timeline/", cached(pages.timeline, TIMELINE_PARAMS), name="timeline"),
    path("leaders/", cached(pages.leader_list, INDEX_PARAMS), name="leader_list"),
    path("leaders/<slug:slug>/", cached(pages.leader_detail), name="leader_detail"),
    path("countries/", cached(pages.country_list, INDEX_PARAMS), name="country_list"),
    re_path(
        r"^countries/(?P<code>[A-Za-z]{2})/$", cached(pages.country_detail), name="country_detail"
    ),
    path("registers/", cached(pages.register_list), name="register_list"),
    path("sanctions/", cached(pages.regime_list), name="regime_list"),
    path("sanctions/<str:code>/", cached(pages.regime_detail), name="regime_detail"),
    path("feeds/gifts/", cached(feeds.LatestGiftsFeed()), name="feed_gifts"),
    path("feeds/flags/", cached(feeds.LatestFlagsFeed()), name="feed_flags"),
]
