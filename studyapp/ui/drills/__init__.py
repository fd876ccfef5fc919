"""The Drills page: catalogue, editor, runs."""
