"""A small TMDB client: the poster path of a movie, by TMDB id or by title and year, and its
Simplified Chinese title and overview.

Only the standard library, with a timeout on every call: it runs in background threads, and a
slow or absent TMDB must cost those threads a bounded wait and nothing else.
"""

import json
import logging
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

log = logging.getLogger(__name__)


class TmdbUnavailable(Exception):
    """TMDB did not answer usefully: a timeout, a refused connection, a 5xx, a rejected key."""


CHINESE_ORIGINAL_LANGUAGES = frozenset({"zh", "cn"})
"""TMDB's original_language codes of Chinese films (it writes Cantonese as "cn")."""


@dataclass(frozen=True)
class ChineseText:
    title: str
    overview: str


@dataclass(frozen=True)
class TmdbClient:
    api_url: str
    """The API root, e.g. https://api.themoviedb.org/3 (tests point it at a local fake)."""
    api_key: str
    """A v3 API key, or a v4 read access token (sent as a bearer token)."""
    image_url: str
    """The image root a poster path is appended to, e.g. https://image.tmdb.org/t/p/w342."""
    timeout: float

    def poster_url(self, *, tmdb_id: int | None, title: str, year: int | None) -> str | None:
        """The poster's full address; None when TMDB has no poster for the movie."""
        path = None
        if tmdb_id is not None:
            movie = self._get(f"/movie/{tmdb_id}", {})
            path = movie.get("poster_path") if movie else None
        if path is None:
            path = self._search(title, year)
        return f"{self.image_url.rstrip('/')}/{path.lstrip('/')}" if path else None

    def chinese_text(self, *, tmdb_id: int) -> ChineseText | None:
        """The movie's zh-CN title and overview; None when TMDB has no Chinese title for it."""
        movie = self._get(f"/movie/{tmdb_id}", {"language": "zh-CN"}) or {}
        title = str(movie.get("title") or "").strip()
        original = str(movie.get("original_title") or "").strip()
        # Without a zh-CN translation TMDB answers with a title in another language (the
        # original one); a Chinese film's original title is its Chinese title, though.
        chinese_film = movie.get("original_language") in CHINESE_ORIGINAL_LANGUAGES
        translated = title != original or chinese_film
        if not (translated and _has_han(title)):
            return None
        return ChineseText(title=title, overview=str(movie.get("overview") or "").strip())

    def _search(self, title: str, year: int | None) -> str | None:
        query = {"query": title, "include_adult": "false"}
        if year:
            query["year"] = str(year)
        found = self._get("/search/movie", query) or {}
        for result in found.get("results") or []:
            if isinstance(result, dict) and result.get("poster_path"):
                return str(result["poster_path"])
        return None

    def _get(self, path: str, query: dict[str, str]) -> dict | None:
        """The decoded JSON answer; None for a 404; TmdbUnavailable for anything unusable."""
        headers = {"Accept": "application/json"}
        # v4 read access tokens are JWTs (they contain dots); v3 keys are 32 hex digits.
        if "." in self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        else:
            query = {**query, "api_key": self.api_key}
        url = f"{self.api_url.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.loads(response.read(1 << 20))
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise TmdbUnavailable(f"TMDB answered {error.code} for {path}") from None
        except (OSError, ValueError) as error:
            # URLError, timeouts and resets are OSErrors; ValueError is a body that is not JSON.
            raise TmdbUnavailable(f"TMDB did not answer for {path}: {error}") from None
        return body if isinstance(body, dict) else None


def _has_han(text: str) -> bool:
    """Whether `text` has a Chinese character: a zh-CN title without one is a fallback."""
    return any(unicodedata.name(character, "").startswith("CJK") for character in text)
