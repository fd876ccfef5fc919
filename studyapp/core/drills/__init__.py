"""Coding drills: the catalogue, translations, the service that records attempts, the runner and its
protocol.
"""
