"""Sources: where a claim comes from."""

import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import TimeStamped, batch_field

SOURCE_URL_LENGTH = 500
# A source is read in a browser: a web address only, never javascript:, data: or ftp:.
source_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address beginning with http:// or https://.",
    code="web_address",  # not "invalid", which a form would say its own way
)


# Most addresses are plainly valid: http(s), an ASCII host name of lowercase labels, then a
# path of printable ASCII. This pattern accepts only what source_url accepts (each part is
# a narrower form of URLValidator's) at a twentieth of its cost; source_url judges the
# rest. Up to 253 characters, a host name cannot be longer than URLValidator allows.
PLAIN_WEB_ADDRESS = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:/[!-~]*)?", re.ASCII
)
PLAIN_WEB_ADDRESS_LENGTH = 253


def source_url_problem(url):
    """Why a URL cannot be a source's address, or None: an import's check, the same as the
    admin's form (a length check first, so a huge cell costs nothing)."""
    if len(url) > SOURCE_URL_LENGTH:
        return f"A source URL has at most {SOURCE_URL_LENGTH} characters (this has {len(url)})."
    if len(url) <= PLAIN_WEB_ADDRESS_LENGTH and PLAIN_WEB_ADDRESS.fullmatch(url):
        return None
    return _web_address_problem(url)


@functools.lru_cache(maxsize=10_000)  # a register names a few sources on many rows
def _web_address_problem(url):
    try:
        source_url(url)
    except ValidationError:
        return "A source URL is a web address beginning with http:// or https://."
    return None


class Source(TimeStamped):
    url = models.URLField(
        "URL",
        max_length=SOURCE_URL_LENGTH,
        blank=True,
        validators=[source_url],
        help_text="Blank only when the source has none.",
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField(
        "archived URL", max_length=SOURCE_URL_LENGTH, blank=True, validators=[source_url]
    )
    quote = models.TextField(blank=True, help_text="The passage relied on, verbatim.")
    import_batch = batch_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # Matching an imported or typed URL to an existing source.
            models.Index(fields=["url"], name="source_url_idx"),
        ]

    def __str__(self):
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return " — ".join(parts)

    def get_absolute_url(self):
        return reverse("admin:giftapp_source_change", args=[self.pk])
