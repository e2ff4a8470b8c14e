"""The simulated customers: personas, their voice, typos, off-topic pool and planner."""
