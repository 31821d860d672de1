"""What the export carries beyond the network: films listed twice and movies no list may show."""

from pathlib import Path

import numpy as np

from movierec.artifacts import read_artifact
from movierec.data.features import load_features, prepare, save_features
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize
from movierec.engine import Recommender
from movierec.training.config import Preset
from movierec.training.context import RunContext, SplitSpec
from movierec.training.run import start_run


def test_the_artifact_carries_aliases_and_unlisted_movies(
    tmp_path: Path, quick_seed: Preset, split: SplitSpec, context: RunContext
) -> None:
    raw, prepared = tmp_path / "raw", tmp_path / "prepared"
    planted = synthesize(RELEASES["ml-100k"], raw, users=80, movies=60, ratings=2400, seed=3,
                         duplicates=2, unknown=1)
    save_features(prepare(load_folder(raw, RELEASES["ml-100k"]), source_checksum="flawed"),
                  prepared)

    out = start_run(prepared, quick_seed, split, context).out

    artifact = read_artifact(out)
    features = load_features(prepared)
    np.testing.assert_array_equal(artifact.array("movie_aliases"), features.movie_aliases)
    unlisted = {record["movie_id"] for record in artifact.document("movies")
                if not record["listed"]}
    assert unlisted == set(planted.unknown_ids)
    engine = Recommender.from_artifact(out)
    for alias, kept in planted.aliases.items():
        assert engine.movie(alias).movie_id == kept
        assert engine.similar_movies(alias) == engine.similar_movies(kept)
    shown = {result.movie_id for result in engine.for_new_user(n=len(features.movie_ids))}
    assert not shown & (unlisted | set(planted.aliases))
