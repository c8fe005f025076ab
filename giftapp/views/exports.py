"""The gift list's exports, ?format=csv and ?format=json: exactly the filtered public gifts,
streamed (exports/csv_stream.py, exports/interchange.py)."""

import datetime
import re
import unicodedata
from itertools import chain, islice

from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from ..exports import csv_stream, interchange

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
EXPORT_CHUNK_SIZE = 2000


def export_response(request, filterset, export_format):
    """The streamed file of a bound GiftFilter's gifts, or a 400 naming what is wrong."""
    formats = list(dict.fromkeys(request.GET.getlist("format")))
    if export_format not in EXPORT_FORMATS or len(formats) > 1:
        return bad_request(
            f"format: “{', '.join(f[:20] for f in formats)}” is not an export format; "
            "use format=csv or format=json."
        )
    if not filterset.is_valid():
        return bad_request(
            *(
                f"{name}: {error}"
                for name, errors in filterset.form.errors.items()
                for error in errors
            )
        )
    if export_format == "csv":
        # The COPY starts as the response is read (primed, it would hold the connection
        # mid-COPY until then): connect now, so that a database that cannot be reached
        # is a 503 (registry/health.py) rather than a download cut off after its headers.
        connections[filterset.qs.db].ensure_connection()
        content = (data for _, data in csv_stream.csv_chunks(filterset.qs))
    else:
        gifts = interchange.for_export(filterset.qs, chunk_size=EXPORT_CHUNK_SIZE)
        content = primed(batched_text(interchange.json_chunks(gifts, url_for=gift_urls(request))))
    response = StreamingHttpResponse(content, content_type=EXPORT_FORMATS[export_format])
    filename = export_filename(filterset, export_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def gift_urls(request):
    """gift id -> the absolute URL of its page, /gifts/<id>/, the prefix built once."""
    prefix = request.build_absolute_uri(reverse("gift_list"))
    return lambda gift_id: f"{prefix}{gift_id}/"


def primed(chunks):
    """The chunks, the first read now: the export's first queries run in the view (each
    reads its rows whole, leaving no cursor open), so a database that cannot be reached
    is a 503 (registry/health.py), not a download cut off after its headers."""
    first = list(islice(chunks, 1))
    return chain(first, chunks)


def bad_request(*lines):
    text = "Bad request: check these parameters of /gifts/.\n" + "".join(
        f"{line}\n" for line in lines
    )
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def batched_text(pieces, size=500):
    """Join small pieces of text into fewer, larger chunks for streaming."""
    pieces = iter(pieces)
    while batch := list(islice(pieces, size)):
        yield "".join(batch)


def export_filename(filterset, export_format):
    """gifts-recipient_country-KP-2026-11-27.csv: the filters and today's date."""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            value = "_".join(value)
        elif hasattr(value, "slug"):
            value = value.slug
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        parts += [name, safe_filename_part(str(value))]
    stem = "-".join(part for part in parts if part)[:150].strip("-_.")
    today = timezone.localdate().isoformat()
    return f"gifts-{stem}-{today}.{export_format}" if stem else f"gifts-{today}.{export_format}"


def safe_filename_part(text):
    """Only [A-Za-z0-9._-]: accents dropped, anything else turned into '_'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("_.-")[:40]
