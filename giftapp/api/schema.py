"""The API's OpenAPI schema: drf-spectacular's, with every answer besides 200 that
docs/api.md promises written into the operations that give it, so that a client generated
from the schema, or a test run against it, knows them."""

from drf_spectacular.openapi import AutoSchema


def answer(description, schema=None):
    """An OpenAPI response object: a JSON body of this schema, or none."""
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def detail(description, **properties):
    """An answer whose body is {"detail": text, …} (DRF's, and the outage handler's)."""
    return answer(
        description,
        {
            "type": "object",
            "properties": {"detail": {"type": "string"}} | properties,
            "required": ["detail", *properties],
        },
    )


REDIRECTED = answer(
    "A parameter the operation does not read: Location holds the same address without it."
)
NOT_MODIFIED = answer(
    "Not modified: the ETag given in If-None-Match (or the date in If-Modified-Since) "
    "still holds. No body."
)
BAD_REQUEST = answer(
    "A bad parameter value (a filter, or a cursor the API did not give): each parameter "
    "named, with what is wrong with it.",
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
)
NOT_FOUND = detail(
    "No public record has this address: an unknown one, a draft and one in review alike."
)
GONE = detail("Retracted, with the reason.", retraction_reason={"type": "string"})
MOVED = answer("A leader merged into another: Location holds the kept leader's address, for good.")
THROTTLED = detail(
    "Past the API's rate for this client address (REGISTRY_API_RATE); Retry-After gives "
    "the seconds to wait."
)
UNAVAILABLE = detail(
    "The database is not answering (a response the page cache holds is still served); "
    "Retry-After gives the seconds to wait."
)


class RegistrySchema(AutoSchema):
    """Every operation may answer 302, 304, 429 and 503; a list that reads parameters, 400;
    one record, 404; and a view may name its own others in `schema_answers` (410, 301),
    {action: {status: response object}}."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        view = self.view
        answers = {302: REDIRECTED, 304: NOT_MODIFIED, 429: THROTTLED, 503: UNAVAILABLE}
        action = getattr(view, "action", None)
        if action == "list" and (view.pagination_class or view.filter_backends):
            answers[400] = BAD_REQUEST
        elif action == "retrieve":
            answers[404] = NOT_FOUND
        answers |= getattr(view, "schema_answers", {}).get(action, {})
        responses = operation["responses"]
        for status in sorted(answers):
            responses.setdefault(str(status), answers[status])
        return operation
