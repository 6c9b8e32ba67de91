"""The drivers of the stages: local (the corpus as one block), incremental (added rows as the query), Ray (plumbing)."""
