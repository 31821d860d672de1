"""The towers' outputs for every user and every movie, in eval mode (no dropout)."""

import math

import torch
from torch import Tensor

from movierec.model.config import AGES, GENDERS, OCCUPATIONS
from movierec.model.ensemble import RatingNetwork, members_of
from movierec.training.workers import Workers

CHUNK = 1 << 14
"""Rows per tower call: bounds the memory of the title CNN on the largest catalogues."""


def tower_vectors(network: RatingNetwork, users: Tensor | None = None, *,
                  workers: Workers | None = None) -> tuple[Tensor, Tensor]:
    """(U, D) user vectors, or (N, D) of the N user indices `users` only, and (M, D) movie
    vectors; the network is left in eval mode. With `workers`, every one of them must call it:
    each computes a share of the rows and all receive all of them."""
    network.eval()
    device = next(network.parameters()).device
    users = torch.arange(network.user_count) if users is None else users
    share = (workers or Workers.alone(device)).gather_rows
    with torch.no_grad():
        user_vectors = share(lambda part: _chunked(network.user_tower, part), users.to(device))
        movies = share(lambda part: _chunked(network.movie_tower, part),
                       torch.arange(network.movie_count, device=device))
    return user_vectors, movies


def demographic_vectors(network: RatingNetwork) -> Tensor:
    """(2, 7, 21, D): the user tower for every (gender, age index, occupation) with the id part
    set to the mean user id embedding, so that a new user can be served from demographics."""
    network.eval()
    with torch.no_grad():
        grid = torch.cartesian_prod(
            torch.arange(GENDERS), torch.arange(AGES), torch.arange(OCCUPATIONS)
        ).to(next(network.parameters()).device)  # (294, 3)
        vectors = network.new_user_vectors(grid[:, 0], grid[:, 1], grid[:, 2])  # (294, D)
    return vectors.reshape(GENDERS, AGES, OCCUPATIONS, -1)


def _chunked(tower, indices: Tensor) -> Tensor:
    parts = [tower(indices[start:start + CHUNK]) for start in range(0, len(indices), CHUNK)]
    return torch.cat(parts) if parts else torch.empty(0, device=indices.device)


def new_user_tower(network: RatingNetwork) -> dict[str, Tensor]:
    """What it takes to run the user tower of someone the network has never seen, without torch:
    "base", the tower's output with the mean id embedding and no history ((2, 7, 21, D) by
    demographics, or (D,) on releases without them), and, when the tower reads rating
    histories, each member's history embeddings ("history_implicit", "history_explicit",
    (K, M, H)) and the output layer's columns that act on the history ("history_weights",
    (K, D / K, H)).

    Only for linear towers: then a new user's vector is exactly base + the members' history
    terms, concatenated and scaled by 1/sqrt(K) as the ensemble does (see
    `movierec.engine.ranking_tower`)."""
    if network.config.vector_activation != "linear":
        raise ValueError("only a linear tower can be run as base + history terms")
    members = members_of(network)
    network.eval()
    with torch.no_grad():
        if network.demographics:
            base = demographic_vectors(network)
        else:
            base = torch.cat([
                member.user.vectors(member.user.embedding.weight.mean(dim=0, keepdim=True))
                for member in members
            ], dim=1)[0] / math.sqrt(len(members))
        parts = {"base": base}
        width = network.config.history_dim
        if width:
            parts["history_implicit"] = torch.stack(
                [member.user.history.implicit.weight for member in members])
            parts["history_explicit"] = torch.stack(
                [member.user.history.explicit.weight for member in members])
            # The history is the last feature the output layer reads (see UserTower.vectors).
            parts["history_weights"] = torch.stack(
                [member.user.output.weight[:, -width:] for member in members])
    return {name: value.detach().clone() for name, value in parts.items()}
