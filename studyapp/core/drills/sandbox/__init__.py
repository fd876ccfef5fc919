"""Where learner code runs: the worker, the judge that holds the tests, the confined learner, the
data-only wire format, Landlock, cgroups. Imports nothing of the app beyond the runner protocol.
"""
