"""What Parallax shows: tables, escaped HTML pieces, URL state, charts by family, the report, dashboard pages.

Views draw already-computed analyses: they import the data types (``compare.model.documents``,
``compare.model.errors``) and each other, never a stage that computes (ingest, segment, embed, cluster,
framing, pipeline). Only ``pages`` imports streamlit.
"""
