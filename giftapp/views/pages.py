from django.http import Http404


def _missing(*args, **kwargs):
    # Placeholder until the public pages land.
    raise Http404


home = about = gift_detail = visit_list = visit_detail = timeline = _missing
leader_list = leader_detail = country_list = country_detail = regime_list = regime_detail = _missing
