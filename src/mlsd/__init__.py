"""mlsd: machine-learning system designs as code, rendered to diagrams, pages and handouts."""
from .drawing import stage
from .errors import MlsdError
from .model import (
    Candidate,
    CaseStudy,
    DataPreparation,
    Evaluation,
    Feature,
    Framing,
    Metric,
    ModelDevelopment,
    Monitoring,
    Pipeline,
    Requirements,
    Serving,
)
from .scale import Scale

__version__ = "0.1.0"

__all__ = [
    "CaseStudy", "Requirements", "Framing", "DataPreparation", "ModelDevelopment", "Evaluation",
    "Serving", "Monitoring", "Scale", "Metric", "Feature", "Candidate", "Pipeline", "stage",
    "MlsdError", "__version__",
]
