"""When a card or drill comes back: SM-2, FSRS, the daily queue, the study day, the review session,
scheduler evaluation.
"""
