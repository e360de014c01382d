"""Landmark lower bounds ("ALT") that make A* on big plans settle far fewer nodes.

For a few landmark nodes L the exact costs from L to every node and from every node to L
are computed once. By the triangle inequality, for any v and goal t:
    cost(v, t) >= cost(L, t) - cost(L, v)   and   cost(v, t) >= cost(v, L) - cost(t, L),
which also holds with one-way edges. The largest of these bounds is a consistent heuristic,
so A* still returns the exact optimum. Landmarks are spread out by picking, each time, the
node farthest from those already chosen.
"""
from __future__ import annotations

import heapq
import math

Adjacency = list[list[tuple]]  # per node: (neighbour, cost, ...) entries


def costs_from(adj: Adjacency, s: int) -> list[float]:
    """Plain Dijkstra: the cost from s to every node (inf where unreachable)."""
    best = [math.inf] * len(adj)
    best[s] = 0.0
    heap = [(0.0, s)]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        g, u = pop(heap)
        if g > best[u]:
            continue
        for entry in adj[u]:
            v, ng = entry[0], g + entry[1]
            if ng < best[v]:
                best[v] = ng
                push(heap, (ng, v))
    return best


def reversed_adjacency(adj: Adjacency) -> Adjacency:
    rev: Adjacency = [[] for _ in adj]
    for u, entries in enumerate(adj):
        for entry in entries:
            rev[entry[0]].append((u, entry[1]))
    return rev


class Landmarks:
    def __init__(self, adj: Adjacency, count: int = 8, first: int = 0):
        rev = reversed_adjacency(adj)
        self.nodes: list[int] = []
        self.fwd: list[list[float]] = []  # fwd[i][v] = cost(L_i, v)
        self.bwd: list[list[float]] = []  # bwd[i][v] = cost(v, L_i)
        nearest = [math.inf] * len(adj)
        pick = first
        for _ in range(min(count, len(adj))):
            self.nodes.append(pick)
            f, b = costs_from(adj, pick), costs_from(rev, pick)
            self.fwd.append(f)
            self.bwd.append(b)
            for v in range(len(adj)):
                d = min(f[v], b[v])
                if d < nearest[v]:
                    nearest[v] = d
            finite = [(d, v) for v, d in enumerate(nearest) if d < math.inf and d > 0]
            if not finite:
                break
            pick = max(finite)[1]

    def terms(self, s: int, t: int, keep: int = 4):
        """The bound terms for a search from s to t: (cost(L, t), fwd) pairs and (cost(t, L),
        bwd) pairs. Only the `keep` terms that bound best at the start are used (the usual
        "active landmarks" choice): fewer terms per node visited, nearly the same pruning."""
        ranked = []
        for f in self.fwd:
            if f[t] < math.inf:
                ranked.append((f[t] - f[s], 0, f[t], f))
        for b in self.bwd:
            if b[t] < math.inf:
                ranked.append((b[s] - b[t], 1, b[t], b))
        ranked.sort(key=lambda r: r[0], reverse=True)
        best = ranked[:keep]
        return ([(lt, arr) for _, kind, lt, arr in best if kind == 0],
                [(lt, arr) for _, kind, lt, arr in best if kind == 1])
