"""Gift links: two registers' records of the same real gift, one kept public.

The two transcriptions of the US notices record thousands of the same gifts. A link says
that `duplicate` is the same gift as `kept`, by which rule and on what evidence. A linked
duplicate leaves the public site by retraction, its notice pointing to the kept record,
whose page carries both registers' entries and sources and shows where they disagree.
A candidate waits in the editors' queue; a rejected link says the two are not the same,
and no later run proposes them again.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .gifts import Gift

# Why a linked duplicate was retracted; its page then points to the kept record.
MERGED_REASON = (
    "The same gift as gift record {kept}, which another register's transcription of the "
    "same notice also records: that record now carries both registers' entries."
)


def merged(gift):
    """Whether a retracted gift was retracted as another record's duplicate."""
    return gift.retraction_reason.startswith(MERGED_REASON.split("{", 1)[0])


class LinkStatus(models.TextChoices):
    LINKED = "linked", "Linked: the same gift"
    CANDIDATE = "candidate", "Candidate: for an editor to decide"
    REJECTED = "rejected", "Rejected: not the same gift"


class GiftLink(models.Model):
    Status = LinkStatus

    kept = models.ForeignKey(Gift, on_delete=models.PROTECT, related_name="links_kept")
    duplicate = models.ForeignKey(Gift, on_delete=models.PROTECT, related_name="links_duplicate")
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    rule = models.CharField(max_length=80, help_text="The matching rule that proposed it.")
    evidence = models.JSONField(default=dict, help_text="What the rule compared, and how close.")
    score = models.FloatField(default=0, help_text="0 to 100: how alike the two records are.")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The editor who decided; blank when the rule did.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kept", "duplicate"], name="giftlink_unique_pair"),
            models.CheckConstraint(condition=~Q(kept=F("duplicate")), name="giftlink_two_gifts"),
            # A gift is another's duplicate at most once.
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=Q(status="linked"),
                name="giftlink_one_kept_per_duplicate",
            ),
        ]

    def __str__(self):
        return f"#{self.duplicate_id} same as #{self.kept_id} ({self.get_status_display()})"
