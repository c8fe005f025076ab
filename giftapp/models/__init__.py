"""The registry's records, one module per aggregate (docs/architecture.md):

- base: timestamps, the publication workflow, code checks shared by every record;
- imports: import batches and uploads awaiting confirmation;
- sources, leaders, visits, gifts, sanctions: the records the public reads;
- links: two registers' records of the same gift;
- proposals: editors' changes to what the public site shows, waiting for a reviewer;
- aggregates: counts kept by PostgreSQL triggers.

Everything is importable from `giftapp.models`, as Django and the migrations expect.
"""

from .aggregates import (
    CountryVisits,
    FlagFacet,
    GiftFacet,
    GiftFacetPair,
    LeaderActivity,
    VisitCountry,
)
from .base import (
    COUNTRIES_PROBLEM,
    EDITABLE_BY_EDITORS,
    HISTORY_UNINDEXED,
    NO_SOURCE_PROBLEM,
    OneOf,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    TimeStamped,
    is_reviewer,
    unique_slug,
)
from .gifts import (
    Category,
    DatePrecision,
    Disposition,
    Gift,
    GiftQuerySet,
    date_precision_error,
    gift_rule_errors,
    gift_search_text,
    overlapping,
    period_end,
    publishable_countries,
)
from .imports import EntryStatus, ImportBatch, PendingImport, RegisterEntry, UploadState
from .leaders import Leader, LeaderRedirect
from .links import MERGED_REASON, GiftLink, LinkStatus, merged
from .proposals import ProposalStatus, ProposedChange, record_version
from .sanctions import FlagStatus, SanctionsFlag, SanctionsFlagQuerySet, SanctionsRegime
from .sources import Source, source_url_problem
from .visits import Visit, VisitKind, VisitQuerySet

__all__ = [
    "COUNTRIES_PROBLEM",
    "EDITABLE_BY_EDITORS",
    "HISTORY_UNINDEXED",
    "MERGED_REASON",
    "NO_SOURCE_PROBLEM",
    "Category",
    "CountryVisits",
    "DatePrecision",
    "Disposition",
    "EntryStatus",
    "FlagFacet",
    "FlagStatus",
    "Gift",
    "GiftFacet",
    "GiftFacetPair",
    "GiftLink",
    "GiftQuerySet",
    "ImportBatch",
    "Leader",
    "LeaderActivity",
    "LeaderRedirect",
    "LinkStatus",
    "OneOf",
    "PendingImport",
    "ProposalStatus",
    "ProposedChange",
    "PublicationStatus",
    "Publishable",
    "PublishableQuerySet",
    "RegisterEntry",
    "SanctionsFlag",
    "SanctionsFlagQuerySet",
    "SanctionsRegime",
    "Source",
    "source_url_problem",
    "TimeStamped",
    "Visit",
    "VisitCountry",
    "VisitKind",
    "VisitQuerySet",
    "UploadState",
    "date_precision_error",
    "gift_rule_errors",
    "gift_search_text",
    "is_reviewer",
    "merged",
    "overlapping",
    "period_end",
    "publishable_countries",
    "record_version",
    "unique_slug",
]
