"""A retrain: the published model's release and preset, plus the site's accounts as users of
their own, trained into a new run and judged against the published model by the gate.

The run folder holds what went in and what came out:
- `site-ratings.csv`, `site-users.csv`: the site's ratings and accounts as given;
- `split/train.csv`, `split/test.csv`: the candidate's training part and the held-out ratings;
- `<run name>/`: the candidate, named as the run so that its published version is too;
- `reference-split/`, `reference-model/`: when the published model is no retrain, what the gate
  compares the candidate with instead (the same preset on the candidate's split, without the
  site's accounts: see `retrain`);
- `retrain-report.md`, `retrain-report.json`: the gate's figures and decision.
Publishing is the caller's: `movierec retrain` and `manage.py retrain` publish their own way.

The candidate trains with the published model's preset as it was given (its name and every
`--set` override it was trained with: the manifest's `preset_settings`, sized afresh for the
larger data), with the caller's overrides on top. A model from before manifests kept them
retrains with its preset as named.
"""

import dataclasses
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from movierec import paths
from movierec.artifacts import read_artifact
from movierec.data.features import Features, load_features
from movierec.data.releases import liked_rating
from movierec.data.site_users import read_site_users, with_site_users
from movierec.data.splits import Split, read_ratings_csv
from movierec.errors import UsageError
from movierec.retraining.gate import HeldOut, Verdict, judge, score_model, unseen_by
from movierec.retraining.report import report_document, write_report
from movierec.retraining.site_ratings import (
    HELD_OUT_FRACTION,
    retrain_split,
    site_ratings_of,
    write_split,
)
from movierec.site_accounts import SITE_USER_OFFSET
from movierec.training.config import Preset, get_preset, preset_from_settings, with_overrides
from movierec.training.context import RunContext, SplitSpec
from movierec.training.run import train_features

REFERENCE_MODEL = "reference-model"
"""The folder in a run of the model the gate compares with when the published one is no
retrain."""
SITE_RATINGS_FILE = "site-ratings.csv"
SITE_USERS_FILE = "site-users.csv"


@dataclass(frozen=True)
class RetrainResult:
    """A finished retrain: where its run is and what the gate said."""

    run: Path
    model: Path
    verdict: Verdict
    report: Path
    seconds: dict[str, float]
    """Wall time of its steps: "train" (data included), "reference" (when one was trained) and
    "gate"."""


def published_record(published: Path) -> dict[str, Any]:
    """The manifest of the published model (verified): its dataset, preset and the site ratings
    it was trained on (`site_ratings`, absent when it saw none)."""
    return read_artifact(published).manifest


def retrain(
    published: Path,
    context: RunContext,
    *,
    site_ratings: Path | None = None,
    site_users: Path | None = None,
    dataset: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> RetrainResult:
    """Train a candidate from the model at `published` and the site's CSVs into the run folder
    `context.out`, and gate it; nothing is published here."""
    manifest = published_record(published)
    release = features = _release_of(published, manifest, dataset)
    site = site_ratings_of(read_site_ratings(site_ratings), features)
    accounts = read_site_users(site_users) if site_users else None
    run = Path(context.out)
    if run.exists() and any(run.iterdir()):
        raise UsageError(f"{run} is not empty; choose another --out")
    run.mkdir(parents=True, exist_ok=True)
    # The run keeps what it was given, so that it says what it trained on.
    for source, name in ((site_ratings, SITE_RATINGS_FILE), (site_users, SITE_USERS_FILE)):
        if source is not None:
            shutil.copyfile(source, run / name)
    features = with_site_users(features, site.ratings["user_id"].to_numpy(np.int64), accounts)
    # The model records what it learned of the site, so that the next retrain counts what is new.
    features = dataclasses.replace(
        features, manifest={**features.manifest, "site_ratings": site.summary()})
    split = retrain_split(features, site)
    recipe = published_preset(manifest)
    preset = with_overrides(recipe, overrides or {})
    model = run / run.name
    started = time.perf_counter()
    _train_on(features, preset, split, run / "split", model, context)
    seconds = {"train": time.perf_counter() - started}
    held_out = HeldOut(split.train, split.test, account_demographics(accounts),
                       liked_rating(*features.rating_scale))
    if "site_ratings" in manifest:
        # A retrain's model was trained on this same protocol: the dataset's held-out part is
        # the same every time, and only the ratings it did train on need leaving out.
        current, held_out = published, unseen_by(published, held_out)
    else:
        # A model of `movierec train` (a random split) saw most of each user's newest ratings,
        # and with them each user's recent taste: even on the ratings it did not see, it would
        # be judged with knowledge the candidate was denied (ML-100K: +1.7% RMSE against a fair
        # candidate). The gate compares against what it would have been on the candidate's
        # split instead: its own preset (the caller's overrides are the candidate's, so a worse
        # recipe is still caught), trained without the site's accounts, which it then serves as
        # the site serves new accounts.
        started = time.perf_counter()
        dataset_part = Split(train=split.train[split.train["user_id"] < SITE_USER_OFFSET],
                             test=split.test[split.test["user_id"] < SITE_USER_OFFSET])
        current = run / REFERENCE_MODEL
        _train_on(release, recipe, dataset_part,
                  run / "reference-split", current, context)
        seconds["reference"] = time.perf_counter() - started
    started = time.perf_counter()
    verdict = judge(score_model(model, held_out), score_model(current, held_out))
    seconds["gate"] = time.perf_counter() - started
    facts = {
        "run": str(run),
        "published": str(published.resolve()),
        "compared_with": ("the published model" if current == published else
                          f"{current}: the published preset trained on the candidate's split "
                          "without the site's accounts (the published model is not a retrain)"),
        "dataset": features.name,
        "preset": manifest["preset"],
        "overrides": {name: str(value) for name, value in (overrides or {}).items()},
        "site_ratings": site.summary(),
        "held_out": {"fraction": HELD_OUT_FRACTION, "ratings": len(split.test),
                     "scored": len(held_out.test), "training": len(split.train)},
        "seconds": {step: round(value, 1) for step, value in seconds.items()},
    }
    report = write_report(run, report_document(verdict, facts), verdict)
    return RetrainResult(run, model, verdict, report, seconds)


def published_preset(manifest: dict[str, Any]) -> Preset:
    """The preset the model with this manifest was trained with, as given."""
    if "preset_settings" not in manifest:
        return get_preset(manifest["preset"])
    return preset_from_settings(manifest["preset"], manifest["preset_settings"],
                                f"{manifest['preset']} as the published model was trained")


def _train_on(features: Features, preset: Preset, split: Split, split_folder: Path,
              model: Path, context: RunContext) -> None:
    """Train `preset` on `split` of `features` into `model`, the split written to
    `split_folder` as the files training reads (and the run keeps)."""
    files = write_split(split, split_folder)
    train_features(features, preset,
                   SplitSpec(method="files", files=(str(files[0]), str(files[1]))),
                   dataclasses.replace(context, out=model))


def _release_of(published: Path, manifest: dict[str, Any], dataset: str | Path | None
                ) -> Features:
    """The prepared release the published model was trained on; UsageError when its manifest
    cannot say which, or `dataset` is other data."""
    if not (dataset or manifest.get("dataset")):
        raise UsageError(f"{published}: its manifest names no dataset; give --dataset, the "
                         "prepared release it was trained on")
    if not manifest.get("preset"):
        raise UsageError(f"{published}: its manifest names no preset; it was not trained by "
                         "`movierec train`, and cannot be retrained")
    features = load_features(dataset or manifest["dataset"])
    if features.data_checksum != manifest.get("data_checksum"):
        raise UsageError(
            f"the published model was trained on other data than the prepared "
            f"{features.name} (checksum {str(manifest.get('data_checksum'))[:12]}...); give "
            "--dataset the prepared folder it was trained on"
        )
    return features


def default_run_folder(dataset: str) -> Path:
    """A new run folder under `$MOVIEREC_HOME/runs`, named by the release and the time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return paths.runs_dir() / f"{Path(dataset).name or 'model'}-retrain-{stamp}"


def account_demographics(accounts: pd.DataFrame | None) -> dict[int, dict[str, Any]]:
    """Each account's given demographics, named as `Recommender.for_new_user` takes them."""
    if accounts is None:
        return {}
    found: dict[int, dict[str, Any]] = {}
    for row in accounts.itertuples(index=False):
        given = {"gender": row.gender, "age": row.age, "occupation": row.occupation}
        found[int(row.user_id)] = {name: (value if isinstance(value, str) else int(value))
                                   for name, value in given.items() if not pd.isna(value)}
    return found


def read_site_ratings(path: Path | None) -> pd.DataFrame:
    """The site ratings CSV as a ratings frame; an empty one without a file."""
    if path is None:
        return pd.DataFrame({"user_id": pd.Series(dtype="int32"),
                             "movie_id": pd.Series(dtype="int32"),
                             "rating": pd.Series(dtype="float32"),
                             "timestamp": pd.Series(dtype="int64")})
    return read_ratings_csv(path)
