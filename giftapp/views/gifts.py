from django.views.generic import ListView

from ..models import Gift


class GiftListView(ListView):
    # Placeholder until the filterable list lands.
    queryset = Gift.objects.public().for_listing()
    template_name = "giftapp/gift_list.html"
    paginate_by = 50
