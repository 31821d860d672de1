"""Ratings: the stars people give movies, one per person and movie, stored in the database."""
