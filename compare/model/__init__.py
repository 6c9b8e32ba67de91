"""The domain types of Parallax: documents, claims and analyses, and a typed row for every framing table."""
