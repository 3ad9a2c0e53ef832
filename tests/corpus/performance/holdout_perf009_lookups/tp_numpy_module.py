import numpy as np


def attention_scores(queries, keys, values):
    out = []
    for q in queries:
        row = []
        for k, v in zip(keys, values):
            score = np.dot(q, k) / np.sqrt(len(k))  # expect: PERF009
            weight = np.exp(score)
            row.append(weight * np.dot(v, v) + np.dot(q, v))
        out.append(row)
    return out
