"""Thin PySide6 views over studyapp.core."""
