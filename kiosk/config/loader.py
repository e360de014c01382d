"""Loading config: shipped defaults -> site file -> local overrides (written on site).

Each layer is a TOML file; tables merge key by key, a later layer's value (list or
scalar) replaces the earlier one. Every problem is reported as
`file:line: dotted.key: reason`, naming the layer file that set the bad value.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kiosk.config.model import KioskConfig
from kiosk.config.paths import DEFAULT_SITE_PATHS, LOCAL_OVERRIDES, site_path  # noqa: F401
from kiosk.config.layers import Layer, index_lines, read_layer  # noqa: F401 - part of this module's API
from common.schema import Problem, build



class ConfigError(Exception):
    """Raised when a config cannot be used; `problems` says why, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


def merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def _locate(problem: Problem, layers: list[Layer]) -> Problem:
    """Attach the file and line of the last layer that set the key (or its parent)."""
    for layer in reversed(layers):
        path = problem.path
        while path:
            if path in layer.lines:
                return Problem(problem.path, problem.reason, layer.file, layer.lines[path])
            shorter = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
            if shorter == path:
                break
            path = shorter
        if _has_path(layer.data, problem.path):
            return Problem(problem.path, problem.reason, layer.file, None)
    return Problem(problem.path, problem.reason, layers[-1].file if layers else "", None)


def _has_path(data: Any, path: str) -> bool:
    cur = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            i = int(part[1:-1])
            if not isinstance(cur, list) or i >= len(cur):
                return False
            cur = cur[i]
        else:
            if not isinstance(cur, dict) or part not in cur:
                return False
            cur = cur[part]
    return True


def load(site: str | None = None, data_dir: str | os.PathLike | None = None,
         extra_layers: list[str] | None = None,
         extra_checks: tuple = ()) -> tuple[KioskConfig, list[Layer]]:
    """Load and validate all layers. Raises ConfigError listing every problem.
    `extra_checks`: more `check(cfg, problems)` to run after kiosk.config.checks.CHECKS."""
    layers: list[Layer] = []
    problems: list[Problem] = []
    paths: list[str] = []
    if site:
        paths.append(site)
    if data_dir is not None:
        local = Path(data_dir) / LOCAL_OVERRIDES
        if local.exists():
            paths.append(str(local))
    paths.extend(extra_layers or [])
    for p in paths:
        layer, probs = read_layer(p)
        problems.extend(probs)
        if layer:
            layers.append(layer)
    if problems:
        raise ConfigError(problems)
    return validate_layers(layers, extra_checks)


def validate_layers(layers: list[Layer], extra_checks: tuple = ()) -> tuple[KioskConfig, list[Layer]]:
    merged: dict = {}
    for layer in layers:
        merged = merge(merged, layer.data)
    cfg, problems = build(KioskConfig, merged)
    if cfg is not None:
        from kiosk.config.checks import run_checks  # the catalogs and feature checks: loaded here
        run_checks(cfg, problems)
        for check in extra_checks:
            check(cfg, problems)
    if problems:
        raise ConfigError([_locate(p, layers) for p in problems])
    return cfg, layers


def check_file(path: str) -> list[Problem]:
    """Everything wrong with one file as a site config (on top of the shipped defaults),
    including what can be seen from here of the places it names (CHECKS_ON_REQUEST in
    kiosk.config.checks: not run at every load, so an unplugged printer never stops a start)."""
    from kiosk.config.checks import CHECKS_ON_REQUEST
    try:
        load(path, extra_checks=CHECKS_ON_REQUEST)
    except ConfigError as e:
        return e.problems
    return []
