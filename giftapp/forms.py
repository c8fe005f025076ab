from django import forms

from .models import Leader


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
        fields = ["name", "native_name", "aliases", "country", "title", "slug", "wikidata_id"]
