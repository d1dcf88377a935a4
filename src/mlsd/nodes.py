"""Nodes for ML concepts that `diagrams` has no icon for, drawn by tools/make_icons.py."""
from __future__ import annotations

from pathlib import Path

from diagrams import Node

ICONS = Path(__file__).resolve().parent / "icons"


class _MlNode(Node):
    _provider = "mlsd"
    _type = "ml"
    _icon_dir = "icons"

    def _load_icon(self) -> str:
        return str(ICONS / self._icon)


class FeatureStore(_MlNode):
    """Online and offline feature storage shared by training and serving."""
    _icon = "feature_store.png"


class VectorIndex(_MlNode):
    """An approximate-nearest-neighbour index over embeddings."""
    _icon = "vector_index.png"


class ModelRegistry(_MlNode):
    """Versioned model artefacts with their metadata and approval state."""
    _icon = "model_registry.png"


class EmbeddingService(_MlNode):
    """A service that turns items or queries into embedding vectors."""
    _icon = "embedding_service.png"


class ModelServer(_MlNode):
    """Replicas that serve a model's predictions online."""
    _icon = "model_server.png"


class LabelingQueue(_MlNode):
    """Items waiting for human annotation or review."""
    _icon = "labeling_queue.png"


class NeuralNetwork(_MlNode):
    """A trained model or one of its components."""
    _icon = "neural_network.png"


AnnIndex = VectorIndex

__all__ = ["FeatureStore", "VectorIndex", "AnnIndex", "ModelRegistry", "EmbeddingService",
           "ModelServer", "LabelingQueue", "NeuralNetwork"]
