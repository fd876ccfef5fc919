"""The Attention visualizer page."""
