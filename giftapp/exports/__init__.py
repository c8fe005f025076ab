"""Exports: the interchange format (interchange.py: the CSV header, its cells, and its JSON
twin) and the streamed CSV of any set of gifts (csv_stream.py, COPY on PostgreSQL)."""
