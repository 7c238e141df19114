"""Facts the senior reviews found wrong in round one stay corrected (issue 15).

Each case names a question, a claim it must no longer make and a fact it must
state; the text searched is the question's key points and follow-ups.
"""

from __future__ import annotations

import pytest

from viva.catalog.loader import load_catalog

CASES = [
    (
        "kubernetes/hard-way",
        "etcd-space-quota-exceeded",
        "deletes are rejected",
        "reads and deletes still work",
    ),
    (
        "kubernetes/hard-way",
        "observing-the-control-plane",
        "bind to 127.0.0.1 by default",
        "default `--bind-address` to 0.0.0.0",
    ),
    (
        "kubernetes/hard-way",
        "certificate-inventory-and-rotation",
        "they do not reload certs",
        "kube-apiserver reloads its serving cert",
    ),
    (
        "kubernetes/operator",
        "external-system-unavailable-backoff",
        "`Requeue: true` without error or a tiny `RequeueAfter` bypasses",
        "only `RequeueAfter` bypasses the limiter",
    ),
    (
        "kubernetes/operator",
        "cluster-scoped-vs-namespaced-crd",
        "cluster-scoped owners cannot own namespaced children",
        "cluster-scoped CR can own children in any namespace",
    ),
    (
        "kubernetes/operator",
        "admission-webhook-failure-policy",
        "`sideEffects: None` is required for dry-run",
        "`NoneOnDryRun`",
    ),
    (
        "container-internals/mini-docker",
        "nnp-seccomp-ordering",
        "libseccomp does by default",
        "defaults to off",
    ),
    (
        "ai-systems/inference-engine",
        "nan-logits-in-batch",
        "returns an arbitrary index",
        "device-side assert that is sticky",
    ),
    (
        "ai-systems/inference-engine",
        "quantization-numerics",
        "on A100 it only saves memory",
        "does not run on A100 at all",
    ),
    ("rust/matching-engine", "latency-cdf-readme", "many millions of orders", "2×10⁸ orders"),
    (
        "rust/matching-engine",
        "perf-stat-interpretation",
        "the work became memory-bound",
        "not on the critical path",
    ),
    (
        "go/service-mesh",
        "registry-recovery-thundering-herd",
        "full jitter (grpc's default",
        "±20 %",
    ),
]


@pytest.mark.parametrize(("track", "qid", "wrong", "right"), CASES, ids=[c[1] for c in CASES])
def test_corrected_fact(track: str, qid: str, wrong: str, right: str) -> None:
    question = load_catalog().tracks[track].question(qid)
    assert question is not None, f"{track} has no question {qid}"
    text = " ".join(
        [*question.key_points, *(p for f in question.follow_ups for p in (f.prompt, *f.key_points))]
    )
    assert wrong not in text
    assert right in text
