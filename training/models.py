"""Training runs and datasets (the custom-training issue fills this app in)."""
