"""Counts of true positives, false positives and false negatives, shared by the quality benchmarks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Score:
    """True positives, false positives and false negatives of one kind or facet."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0
