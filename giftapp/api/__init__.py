"""The read API, /api/v1/ (docs/api.md): the public records as JSON, with the public pages'
filters and visibility, built on Django REST framework, described by drf-spectacular."""
