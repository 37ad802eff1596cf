"""Eligibility: what the matcher knows of an enterprise (facts), each product's criteria
evaluated in Python (evaluator, with explanations) and in SQL (matcher, for every firm)."""
