from django.urls import path, re_path

from . import feeds
from .views import gifts, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("about/", pages.about, name="about"),
    path("gifts/", gifts.GiftListView.as_view(), name="gift_list"),
    path("gifts/<int:pk>/", pages.gift_detail, name="gift_detail"),
    path("visits/", pages.visit_list, name="visit_list"),
    path("visits/<slug:slug>/", pages.visit_detail, name="visit_detail"),
    path("timeline/", pages.timeline, name="timeline"),
    path("leaders/", pages.leader_list, name="leader_list"),
    path("leaders/<slug:slug>/", pages.leader_detail, name="leader_detail"),
    path("countries/", pages.country_list, name="country_list"),
    re_path(r"^countries/(?P<code>[A-Za-z]{2})/$", pages.country_detail, name="country_detail"),
    path("sanctions/", pages.regime_list, name="regime_list"),
    path("sanctions/<str:code>/", pages.regime_detail, name="regime_detail"),
    path("feeds/gifts/", feeds.LatestGiftsFeed(), name="feed_gifts"),
    path("feeds/flags/", feeds.LatestFlagsFeed(), name="feed_flags"),
]
