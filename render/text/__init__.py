"""The words a chunk says: normalization by language and the user's pronunciation lexicon."""
