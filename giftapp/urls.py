from django.urls import path, re_path

from . import feeds
from .cache import cache_public_page as cached
from .views import gifts, pages

# Every public page is cached whole and invalidated on any change (giftapp/cache.py);
# exports (?format=…) are streamed and never cached.
urlpatterns = [
    path("", cached(pages.home), name="home"),
    path("about/", cached(pages.about), name="about"),
    path("gifts/", cached(gifts.GiftListView.as_view()), name="gift_list"),
    path("gifts/<int:pk>/", cached(pages.gift_detail), name="gift_detail"),
    path("visits/", cached(pages.visit_list), name="visit_list"),
    path("visits/<slug:slug>/", cached(pages.visit_detail), name="visit_detail"),
    path("timeline/", cached(pages.timeline), name="timeline"),
    path("leaders/", cached(pages.leader_list), name="leader_list"),
    path("leaders/<slug:slug>/", cached(pages.leader_detail), name="leader_detail"),
    path("countries/", cached(pages.country_list), name="country_list"),
    re_path(
        r"^countries/(?P<code>[A-Za-z]{2})/$", cached(pages.country_detail), name="country_detail"
    ),
    path("registers/", cached(pages.register_list), name="register_list"),
    path("sanctions/", cached(pages.regime_list), name="regime_list"),
    path("sanctions/<str:code>/", cached(pages.regime_detail), name="regime_detail"),
    path("feeds/gifts/", cached(feeds.LatestGiftsFeed()), name="feed_gifts"),
    path("feeds/flags/", cached(feeds.LatestFlagsFeed()), name="feed_flags"),
]
