from django import forms

from ..models import Leader, PublicationStatus
from .workflow import EDITABLE_BY_EDITORS


class LinesField(forms.CharField):
    """A list of strings edited as a textarea, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class LeaderAdminForm(forms.ModelForm):
    aliases = LinesField(
        required=False, help_text="Other spellings and transliterations, one per line."
    )

    class Meta:
        model = Leader
        fields = [
            "name", "kind", "native_name", "aliases", "country", "title", "slug", "wikidata_id",
        ]  # fmt: skip


class PublicationCheckedForm(forms.ModelForm):
    """Refuses to publish a record that breaks the publication rules, naming what is missing.

    The check runs after the instance has taken the form's values, and counts the sources
    the form is about to save when it has a sources field.
    """

    def clean_publication_status(self):
        """A published record leaves the public site only by retraction, which keeps its
        address with a notice (410): never by moving it back to draft or review (404)."""
        status = self.cleaned_data.get("publication_status")
        was = self.initial.get("publication_status") if self.instance.pk else None
        if was == PublicationStatus.PUBLISHED and status in (
            PublicationStatus.DRAFT,
            PublicationStatus.IN_REVIEW,
        ):
            raise forms.ValidationError(
                "A published record leaves the public site only by retraction: use the "
                "“Retract” action, which keeps its address with a notice and the reason."
            )
        return status

    def _post_clean(self):
        super()._post_clean()
        record = self.instance
        if record.publication_status != PublicationStatus.PUBLISHED:
            return
        sources = self.cleaned_data.get("sources") if "sources" in self.fields else None
        for problem in record.publication_problems(sources=sources):
            self.add_error(
                "publication_status" if "publication_status" in self.fields else None, problem
            )


class LockedPublishedFormSet(forms.BaseInlineFormSet):
    """Inline rows of published or retracted records: only a reviewer changes them, and
    nobody deletes them (they are retracted instead)."""

    reviewer = False  # set per request by the admin

    def clean(self):
        super().clean()
        for form in self.forms:
            record = form.instance
            if record.pk is None or record.publication_status in EDITABLE_BY_EDITORS:
                continue
            if self._should_delete_form(form):
                raise forms.ValidationError(
                    f"“{record}” is {record.get_publication_status_display().lower()}: "
                    "retract it instead of deleting it."
                )
            if form.has_changed() and not self.reviewer:
                raise forms.ValidationError(
                    f"“{record}” is {record.get_publication_status_display().lower()}: "
                    "only a reviewer can change it."
                )


class RetractionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Shown to the public on the record's page.",
    )


class MergeLeadersForm(forms.Form):
    keep = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Keep",
        help_text="The other leader's gifts and visits move to this one; its names become "
        "aliases and its page redirects here.",
    )

    def __init__(self, leaders, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaders = {leader.pk: leader for leader in leaders}
        self.fields["keep"].choices = [
            (leader.pk, f"{leader} — /leaders/{leader.slug}/") for leader in leaders
        ]

    def pair(self):
        """(keep, duplicate), once the form is valid."""
        keep = self.leaders[self.cleaned_data["keep"]]
        (duplicate,) = (leader for pk, leader in self.leaders.items() if pk != keep.pk)
        return keep, duplicate


class SplitLeaderForm(forms.Form):
    spellings = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Spellings to move",
        help_text="The gifts whose register rows write the leader so move to the new leader.",
    )
    name = forms.CharField(max_length=200, label="Name of the new leader")

    def __init__(self, leader, spellings, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.leader = leader
        self.fields["spellings"].choices = [
            (spelling, f"{spelling} ({gifts} gift{'s' if gifts != 1 else ''})")
            for spelling, gifts in spellings
        ]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the new leader a name.")
        taken = Leader.objects.filter(name=name, country=self.leader.country)
        if taken.exists():
            raise forms.ValidationError(
                "A leader of this country already has this name: merge into it instead."
            )
        return name

    def clean(self):
        data = super().clean()
        chosen = set(data.get("spellings") or ())
        if chosen and chosen == {value for value, _label in self.fields["spellings"].choices}:
            raise forms.ValidationError(
                "Every spelling would move: rename the leader instead of splitting it."
            )
        return data


class ImportUploadForm(forms.Form):
    MAX_BYTES = 50 * 1024 * 1024

    file = forms.FileField(help_text="A CSV file in UTF-8, at most 50 MB.")
    format = forms.ChoiceField(
        choices=[
            ("registry", "Registry interchange CSV"),
            ("us-federal-register", "US Federal Register (gifts to federal employees)"),
            ("uk-ministers", "UK register of ministers' gifts"),
        ]
    )
    publish = forms.BooleanField(
        required=False,
        help_text="Publish the rows that pass the publication rules (reviewers only).",
    )

    def __init__(self, *args, reviewer=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not reviewer:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 50 MB: split it, or use the command line."
            )
        return upload
