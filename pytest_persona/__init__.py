"""pytest-persona: stress-test chatbot flows with simulated customer personas."""

__version__ = "0.1.0"
