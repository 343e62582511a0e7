"""The model: training (train.py), the saved artifact (artifact.py), scoring and explanations (score.py)."""
