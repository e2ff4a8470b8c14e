"""The assistant under test: the flow model, its loader and the engine that plays it."""
