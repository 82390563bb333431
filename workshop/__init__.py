"""Opportunity Map (Möjlighetskartan): the workshop domain, free of any user interface."""
