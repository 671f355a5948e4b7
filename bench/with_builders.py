#!/usr/bin/env python3
"""Writes a benchmark pipeline with feature builders added before its
`destinations:` key.

    with_builders.py IN.yaml OUT.yaml SET [REFIT]

SET is clv, rfm, recs or models (clv, rfm, satisfaction, engagement,
recommendations and loyalty); REFIT, when given, is each fitting builder's
`refit` policy (docs/pipeline.md)."""
import sys

BUILDERS = {
    "clv": ("lifetime", "clv", True,
            "{ event: Order Completed, value: properties.revenue, horizon: 90d }"),
    "rfm": ("rfm", "rfm", True,
            "{ events: [Order Completed], value: properties.revenue, window: 365d }"),
    "voice": ("voice", "satisfaction", False, "{}"),
    "engagement": ("engagement", "engagement", True, "{}"),
    "recs": ("recs", "recommendations", True, "{}"),
    "loyalty": ("loyalty", "loyalty", True, "{}"),
}
SETS = {"clv": ["clv"], "rfm": ["rfm"], "recs": ["recs"],
        "models": ["clv", "rfm", "voice", "engagement", "recs", "loyalty"]}


def main(argv):
    source, target, chosen = argv[1:4]
    refit = argv[4] if len(argv) > 4 else None
    added = ""
    for key in SETS[chosen]:
        name, plugin, fits, config = BUILDERS[key]
        policy = f"    refit: {refit}\n" if refit and fits else ""
        added += f"  - name: {name}\n    plugin: {plugin}\n{policy}    config: {config}\n"
    text = open(source).read()
    marker = "destinations:"
    open(target, "w").write(text.replace(marker, added + marker, 1))


if __name__ == "__main__":
    main(sys.argv)
