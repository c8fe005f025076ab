"""JSON for the portable backup: Django's JSON serializer, with times to the microsecond.

Django's JSON encoder keeps milliseconds only, as JavaScript dates do: a change recorded at
12:00:00.123456 would come back from a backup as 12:00:00.123, and history rows made within
the same millisecond would lose their order. Django's own JSON deserializer reads this
format back (the datetimes are ISO 8601 either way).
"""

import datetime

from django.core.serializers import json as django_json


class ExactEncoder(django_json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = django_json.Deserializer
