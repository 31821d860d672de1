"""The catalogue: home page rows, title search and movie pages with similar movies."""
