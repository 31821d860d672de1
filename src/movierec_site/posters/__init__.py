"""Posters: a provider interface. The default draws one (SVG, no network); with TMDB_API_KEY
set, TMDB's poster is used once a background thread has fetched and cached its address."""
