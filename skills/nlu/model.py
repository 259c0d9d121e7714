"""The learnt intent model: word and character n-grams of a turn's skeleton, and a
multinomial logistic regression over the intents (out_of_scope among them).

Chosen by measurement (README, "Understanding"): scikit-learn's linear model on
n-grams, the approach of Snips NLU and Rasa's classic pipeline, trains in seconds
from the templates' expansions and answers in well under a millisecond. A fitted
model is cached on disk, keyed by the language data, the catalogue's words, the code
that builds it and the library versions, so a process builds it once per catalogue.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

# The code that makes a model: a change to it is a new model, without a version to bump.
_MODEL_CODE = [Path(__file__), Path(__file__).with_name("training.py")]
_CACHE_ENV = "VOICESHOP_CACHE_DIR"
OUT_OF_SCOPE = "out_of_scope"
EMBEDDING_WEIGHT = 1.0  # measured: 0.5 and 2 did no better (README)
_loaded: dict[str, IntentModel] = {}
_lock = threading.Lock()


class SentenceEmbeddings(BaseEstimator, TransformerMixin):
    """WordLlama's sentence embeddings (the model ships inside its wheel, so nothing
    is downloaded): sentences worded unlike any template land near those that mean
    the same. Loaded once per process and left out of the pickled model."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, texts, labels=None):
        return self

    def transform(self, texts):
        plain = [t.replace("{", "").replace("}", "") for t in texts]
        with np.errstate(invalid="ignore", divide="ignore"):  # a sentence with no token
            embedded = _wordllama().embed(plain, norm=True)
        return np.nan_to_num(embedded) * self.weight


@cache
def _wordllama():
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@dataclass
class Verdict:
    intent: str
    probability: float
    out_of_scope: float  # the probability that the turn is not shopping at all


class IntentModel:
    """Intent probabilities for a reduced skeleton ("add {ordinal} to my cart")."""

    def __init__(self, texts: list[str], labels: list[str]) -> None:
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(token_pattern=r"[^ ]+", ngram_range=(1, 2), sublinear_tf=True),
                ),
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
                ),
                ("meaning", SentenceEmbeddings(EMBEDDING_WEIGHT)),
            ]
        )
        classifier = LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced")
        self.pipeline = make_pipeline(features, classifier)
        self.pipeline.fit(texts, labels)
        self.intents: list[str] = list(self.pipeline.classes_)

        self._fast = _FastScorer(self.pipeline)

    def predict(self, skeleton: str) -> Verdict:
        probabilities = self._fast.probabilities(skeleton)
        best = int(np.argmax(probabilities))
        rejected = float(probabilities[self.intents.index(OUT_OF_SCOPE)])
        return Verdict(self.intents[best], float(probabilities[best]), rejected)

    def predict_slowly(self, skeleton: str) -> np.ndarray:
        """The fitted pipeline's own probabilities, which `predict` reproduces."""
        return self.pipeline.predict_proba([skeleton])[0]


class _FastScorer:
    """The fitted pipeline's arithmetic for one sentence, without scikit-learn's
    per-call validation (5 ms a turn there, 0.2 ms here): each vectoriser's own
    analyser, vocabulary and idf weights, then the linear model's weights."""

    def __init__(self, pipeline) -> None:
        union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.vectorizers = [v for _, v in union.transformer_list if isinstance(v, TfidfVectorizer)]
        self.analyzers = [v.build_analyzer() for v in self.vectorizers]
        self.embeddings = next(
            v for _, v in union.transformer_list if isinstance(v, SentenceEmbeddings)
        )
        self.offsets = np.cumsum([0] + [len(v.vocabulary_) for v in self.vectorizers])
        self.weights = classifier.coef_  # intents × features
        self.bias = classifier.intercept_

    def probabilities(self, text: str) -> np.ndarray:
        columns, values = [], []
        for vectorizer, analyzer, offset in zip(
            self.vectorizers, self.analyzers, self.offsets, strict=False
        ):
            counts: dict[int, int] = {}
            for gram in analyzer(text):
                index = vectorizer.vocabulary_.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            indexes = np.fromiter(counts, dtype=np.int64)
            tf = 1 + np.log(np.fromiter(counts.values(), dtype=np.float64))  # sublinear
            weighted = tf * vectorizer.idf_[indexes]
            columns.append(indexes + offset)
            values.append(weighted / np.linalg.norm(weighted))
        scores = self.bias.copy()
        if columns:
            scores += self.weights[:, np.concatenate(columns)] @ np.concatenate(values)
        embedded = self.embeddings.transform([text])[0]
        scores += self.weights[:, self.offsets[-1] :] @ embedded
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


def cache_key(*parts: bytes) -> str:
    """The cache name of a model built from `parts` by this code and these libraries."""
    digest = hashlib.sha256()
    code = [path.read_bytes() for path in _MODEL_CODE]
    for part in (*code, sklearn.__version__.encode(), *parts):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def cached_model(key: str, build) -> IntentModel:
    """The model for `key`: from this process, else the disk cache, else built by
    `build()` and saved (a cache that cannot be written only costs a rebuild)."""
    with _lock:
        if key in _loaded:
            return _loaded[key]
        path = _cache_dir() / f"intent-{key}.pickle"
        model = _read(path)
        if model is None:
            model = build()
            _write(path, model)
        _loaded[key] = model
        return model


def _cache_dir() -> Path:
    root = (
        os.environ.get(_CACHE_ENV)
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "voiceshop"
    )
    return Path(root) / "nlu"


def _read(path: Path) -> IntentModel | None:
    try:
        with path.open("rb") as file:
            model = pickle.load(file)  # our own cache folder, written by _write below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return model if isinstance(model, IntentModel) else None


def _write(path: Path, model: IntentModel) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
            pickle.dump(model, file)
        os.replace(file.name, path)  # readers never see half a file
    except OSError:
        pass
