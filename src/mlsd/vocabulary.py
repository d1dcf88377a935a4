"""Well-known techniques and metrics, with the patterns that find them in a design's text.

The casebook's index is built from these, so a reader can see every design that uses, say,
two-tower retrieval or nDCG, and on which page. Extend the lists as designs grow.
"""
from __future__ import annotations

import re

TECHNIQUES: dict[str, str] = {
    "A/B testing": r"\bA/B\b",
    "Active learning": r"active[- ]learning",
    "Approximate nearest-neighbour search": r"\bANN\b|nearest[- ]neighbou?r",
    "Calibration (Platt, isotonic)": r"calibrat|\bPlatt\b|isotonic",
    "Canary release": r"\bcanary\b|\bcanaries\b",
    "Cluster or switchback randomisation": r"switchback|cluster[- ]random|randomi[sz]ed by cluster",
    "Contrastive learning": r"contrastive|InfoNCE|SimCLR|\bCLIP\b",
    "Deep & cross network (DCN)": r"\bDCN",
    "Exploration and bandits": r"\bbandit|exploration",
    "Focal loss": r"focal loss",
    "Graph neural network": r"\bGNN|graph neural|GraphSAGE",
    "Gradient-boosted trees": r"\bGBDT|gradient[- ]boosted|LightGBM|XGBoost",
    "Hard-negative mining": r"hard[- ]negative",
    "HNSW graph index": r"\bHNSW\b",
    "In-batch negatives": r"in-batch",
    "Interleaving": r"interleav",
    "IVF and product quantisation": r"\bIVF|product[- ]quanti[sz]|\bPQ\b",
    "Knowledge distillation": r"distil",
    "Logistic regression": r"logistic regression",
    "Matrix factorisation": r"matrix factori[sz]",
    "Mixture of experts (MMoE)": r"\bMMoE\b|mixture[- ]of[- ]experts",
    "Multi-task learning": r"multi-task",
    "Non-maximum suppression": r"\bNMS\b|non-maximum",
    "Off-policy evaluation": r"off-policy|inverse propensity|\bIPS\b",
    "Position-bias correction": r"position[- ]bias|position tower",
    "Quantisation (int8, fp16)": r"\bint8\b|\bfp16\b|quanti[sz]ation-aware",
    "Shadow deployment": r"\bshadow",
    "Skip-gram embeddings": r"skip-gram|word2vec",
    "Transformer": r"transformer|\bViT\b|\bBERT\b",
    "Two-tower model": r"two[- ]tower",
}

METRICS: dict[str, str] = {
    "Click-through rate": r"\bCTR\b|click-through",
    "Coverage and diversity": r"\bcoverage\b|\bdiversity\b",
    "Expected calibration error": r"\bECE\b|calibration error",
    "Log loss and normalised cross-entropy": r"log[- ]loss|normali[sz]ed cross-entropy",
    "Mean average precision (mAP)": r"\bmAP\b|mean average precision",
    "Mean reciprocal rank (MRR)": r"\bMRR\b|reciprocal rank",
    "nDCG": r"\bnDCG",
    "Precision at k": r"precision@|precision at \d",
    "PR-AUC": r"PR-AUC|precision-recall curve|precision-recall AUC",
    "Prevalence": r"\bprevalence\b",
    "Recall at k": r"recall@|recall at \d",
    "Retention and return rate": r"retention|return rate|come back",
    "Revenue": r"\brevenue\b",
    "ROC-AUC": r"\bROC\b|(?<!PR-)\bAUC\b",
    "Watch time": r"watch[- ]time",
}



def _compile(pattern: str) -> list[re.Pattern]:
    """Compile each alternative: acronyms match their case exactly, words any case."""
    return [re.compile(alt, 0 if any(c.isupper() for c in alt) else re.I)
            for alt in pattern.split("|")]


_COMPILED = {term: _compile(pattern) for term, pattern in {**TECHNIQUES, **METRICS}.items()}


def terms_in(text: str, vocabulary: dict[str, str]) -> list[str]:
    """Return the terms of a vocabulary that text mentions, in the vocabulary's order."""
    return [term for term in vocabulary if any(p.search(text) for p in _COMPILED[term])]
