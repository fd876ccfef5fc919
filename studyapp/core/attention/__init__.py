"""Multi-head attention step by step: the maths (steps), the explanations, tracing a learner's
code.
"""
