"""The network's hyperparameters (`NetworkConfig`) and the sizes of the demographic tables."""

from dataclasses import dataclass

GENDERS, AGES, OCCUPATIONS = 2, 7, 21
"""Rows of the demographic tables: ML-1M's codes (MODEL.md's feature table)."""

ACTIVATIONS = ("tanh", "linear")
TITLE_TOKENS = ("seed", "words")


@dataclass(frozen=True)
class NetworkConfig:
    """The network's hyperparameters; the defaults are the seed's values."""

    id_dim: int = 32
    """Width of the user id and movie id embeddings."""
    demographic_dim: int = 16
    """Width of the gender, age and occupation embeddings."""
    feature_dim: int = 32
    """Width of each feature's dense layer, and of the genre and title word embeddings."""
    vector_dim: int = 200
    """Width of the user and movie vectors whose dot product is the rating."""
    text_windows: tuple[int, ...] = (2, 3, 4, 5)
    """Window sizes of the title CNN, one convolution each."""
    text_filters: int = 8
    """Filters per title CNN window; the title feature is len(text_windows) * text_filters wide."""
    title_tokens: str = "seed"
    """Title tokenisation: "seed" (year stripped, split on spaces) or "words" (normalised)."""
    title_dropout: float = 0.5
    """Drop probability after the title CNN (the seed's keep probability 0.5)."""
    tower_dropout: float = 0.0
    """Drop probability on each tower's concatenated features, before its output layer."""
    vector_activation: str = "tanh"
    """Activation of both towers' outputs: "tanh" (seed) or "linear"."""
    biases: bool = False
    """Add a user bias, a movie bias and a global offset to the dot product."""
    embedding_scale: float = 1.0
    """Embeddings start uniform in [-scale, scale]; the seed used 1."""
    id_shortcut: bool = False
    """Add the id embedding straight to the tower's output instead of passing it through a
    dense layer (then id_dim must equal vector_dim): matrix factorisation plus side features."""
    history_dim: int = 0
    """Width of the rating-history feature of each tower: the mean, over the movies a user
    rated (the users who rated a movie), of an implicit embedding plus the centred rating times
    an explicit one (SVD++-like); 0 leaves it out, as the seed does."""
    history_sample: int = 0
    """Ratings of a row's history read per training step, drawn afresh each step (every one
    when the row has no more), so that a step costs the same however popular its movies are;
    0 reads every rating. Evaluation and export always read every rating."""
    history_refreshes: int = 0
    """With `history_sample`: times per epoch every row's whole history mean is recomputed, to
    serve as the feature's value until the next time (the sample then gives only the
    gradient); 0 uses the sampled mean as the value."""
    members: int = 1
    """Networks trained side by side from different starts (see `movierec.model.ensemble`);
    their vectors are concatenated, so one dot product gives the members' mean rating."""

    def __post_init__(self) -> None:
        if self.members < 1:
            raise ValueError("members must be at least 1")
        if not (0 <= self.title_dropout < 1 and 0 <= self.tower_dropout < 1):
            raise ValueError("dropout probabilities must be in [0, 1)")
        if self.vector_activation not in ACTIVATIONS:
            raise ValueError(f"vector_activation must be one of {ACTIVATIONS}")
        if self.title_tokens not in TITLE_TOKENS:
            raise ValueError(f"title_tokens must be one of {TITLE_TOKENS}")
        if not self.text_windows or min(self.text_windows) < 1:
            raise ValueError("text_windows needs at least one window of size >= 1")
        if self.id_shortcut and self.id_dim != self.vector_dim:
            raise ValueError("id_shortcut needs id_dim == vector_dim")
        if min(self.history_dim, self.history_sample, self.history_refreshes) < 0:
            raise ValueError("history_dim, history_sample and history_refreshes must be >= 0")
