"""mlsd: machine-learning system designs as code, rendered to diagrams, pages and handouts.

The public names load on first use (PEP 562), so commands that only read files, such as a
no-op build, start without importing `diagrams` or Graphviz's bindings.
"""
import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "CaseStudy": "model", "Requirements": "model", "Framing": "model",
    "DataPreparation": "model", "ModelDevelopment": "model", "Evaluation": "model",
    "Serving": "model", "Monitoring": "model", "Metric": "model", "Feature": "model",
    "Candidate": "model", "Pipeline": "model", "Scale": "scale", "stage": "drawing",
    "MlsdError": "errors", "Component": "components", "parallel": "components",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")
