"""What Parallax keeps on disk: one atomic write for every output, and the content-hash cache of embeddings and segmentations."""
