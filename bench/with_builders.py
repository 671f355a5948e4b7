#!/usr/bin/env python3
"""Writes a benchmark pipeline with feature builders added before its
`destinations:` key.

    with_builders.py IN.yaml OUT.yaml SET [REFIT]

SET is clv, rfm, recs or models (clv, rfm, satisfaction, engagement,
recommendations and loyalty), or segments: twenty segments over the
benchmark's features, traits and identifiers and two triggers instead of
builders, or segments-only: the twenty segments without the triggers, or history: the same with five of the segments reading event
history (count, sum, did ... within), or windows: the default identifiers
with limits over a time window (email 5 per 30d, anonymous_id 5 per 7d)
instead of builders, or identity: the five identifiers of the identity-heavy
data (`halo-datagen bench --shape identity`); REFIT,
when given, is each fitting builder's `refit` policy (docs/pipeline.md)."""
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


# Twenty audiences of the kinds marketers write: thresholds, times against
# now(), text tests on traits and identifiers, and combinations.
SEGMENTS = [
    "features.order_count >= 2",
    "features.order_count >= 5",
    "features.order_count == 0",
    "features.revenue > 10000000",
    "features.revenue > 50000000",
    "features.avg_basket >= 2000000 and features.order_count >= 2",
    "features.last_seen < now() - 30d",
    "features.last_seen < now() - 90d",
    "features.last_seen >= now() - 7d",
    "features.last_seen < now() - 60d and features.order_count >= 3",
    "exists(traits.email)",
    "not exists(traits.email)",
    "traits.email matches '@gmail[.]com$'",
    "traits.first_name == 'محمد'",
    "traits.last_name starts_with 'ی'",
    "identifiers.email contains 'chmail'",
    "identifiers.user_id in ['usr_1', 'usr_2', 'usr_3', 'usr_12002']",
    "features.revenue > 20000000 or features.order_count > 8",
    "not (features.order_count >= 1 and features.last_seen >= now() - 180d)",
    "features.avg_basket < 500000 and exists(traits.first_name)",
]


# Five audiences over event history in place of the last five above: the
# kernel keeps them with one more feature builder (docs/segments.md).
HISTORY = [
    "count(Order Completed within 90d) >= 2",
    "sum(Order Completed.revenue within 365d) > 20000000",
    "did Order Completed within 30d",
    "did Product Viewed within 7d and not did Order Completed within 7d",
    "count(Product Viewed within 30d) >= 3 and count(Order Completed) == 0",
]


def with_segments(text, segments=SEGMENTS, triggers=True):
    out = text + "segments:\n"
    for k, expression in enumerate(segments):
        out += f"  - {{ name: s{k:02d}, expression: \"{expression}\" }}\n"
    if not triggers:
        return out
    # Two journeys: one fires in the run that records the entries, one an
    # hour after them (its timers stay stored).
    out += """triggers:
  - name: now
    on: { entered: s10 }
    send: { channel: email, destination: crm, template: t1, variables: { email: traits.email } }
  - name: later
    on: { entered: s00 }
    wait: 1h
    send: { channel: sms, destination: gateway, template: t2 }
"""
    return out


# The five identifiers of `halo-datagen bench --shape identity`, each read
# from the default paths (traits, context.traits, properties).
IDENTITY = """identity:
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 5 }
    - { type: phone, priority: 3, max_per_profile: 3, default_region: IR }
    - { type: loyalty_card, priority: 4, max_per_profile: 1, kind: text }
    - { type: anonymous_id, priority: 9, max_per_profile: 100 }
"""

# The default identifiers (docs/pipeline.md) with their limits counted
# within a time window.
WINDOWS = """identity:
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
    - { type: email, priority: 2, max_per_profile: 5 per 30d }
    - { type: phone, priority: 3, max_per_profile: 3 }
    - { type: anonymous_id, priority: 9, max_per_profile: 5 per 7d }
"""


def main(argv):
    source, target, chosen = argv[1:4]
    if chosen in ("windows", "identity"):
        text = open(source).read()
        block = WINDOWS if chosen == "windows" else IDENTITY
        open(target, "w").write(text.replace("sources:", block + "sources:", 1))
        return
    if chosen in ("segments", "segments-only", "history"):
        segments = SEGMENTS[:-5] + HISTORY if chosen == "history" else SEGMENTS
        # Read first: OUT may be IN.
        text = with_segments(open(source).read(), segments, chosen != "segments-only")
        open(target, "w").write(text)
        return
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
