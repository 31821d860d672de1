"""Recommendations for people: "for you" from an account's ratings, and dataset users' profiles."""
