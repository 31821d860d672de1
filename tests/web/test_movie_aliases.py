"""A film the release listed twice has one page: its other id redirects there."""

from pathlib import Path

import numpy as np

from movierec.artifacts import read_artifact, write_artifact

from .artifacts import make_artifact
from .conftest import publish_link


def test_an_alias_id_redirects_to_the_kept_ids_page(client, settings, tmp_path: Path) -> None:
    base = read_artifact(make_artifact(tmp_path / "base"))
    aliased = write_artifact(
        tmp_path / "aliased",
        arrays={**base.arrays, "movie_aliases": np.array([[1001, 1]], dtype=np.int64)},
        documents=base.documents,
    )
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "published", aliased)

    response = client.get("/movies/1001/")

    assert response.status_code == 302 and response["Location"] == "/movies/1/"
    assert "Toy Story" in client.get(response["Location"]).content.decode()
    assert client.get("/movies/1002/").status_code == 404
