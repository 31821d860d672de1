"""movierec: a personal movie recommender built on MovieLens and a two-tower network."""

__version__ = "0.1.0"
