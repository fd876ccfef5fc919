"""The domain: pure Python, no Qt import."""
