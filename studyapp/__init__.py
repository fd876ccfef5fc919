"""StudyApp: offline study app for ML interviews."""

__version__ = "0.1.0"
