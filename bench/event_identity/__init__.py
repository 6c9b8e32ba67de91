"""Event identity research: features, calibration and scoring for stories and claims (bench only)."""
