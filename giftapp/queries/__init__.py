"""The read side of the public site: what each public page, feed and API response shows,
as functions that the views, feeds and API share. Every function here returns only
public records (docs/design.md, "Publication") and runs a fixed number of queries,
whatever the number of rows. Views parse the request, call one of these, and render.
"""
