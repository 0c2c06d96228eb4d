#!/usr/bin/env python3
"""Writes order.openapi31.json, the benchmark's order schema as OpenAPI 3.1 (JSON Schema
2020-12): order.openapi.json with `nullable: true` turned into type arrays with "null"
(and null added to enums), so that both dialects validate the same document."""
import json
import os

here = os.path.dirname(os.path.abspath(__file__))


def convert(node):
    if isinstance(node, dict):
        node = {key: convert(value) for key, value in node.items()}
        if node.pop("nullable", False):
            if isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = node["enum"] + [None]
        return node
    if isinstance(node, list):
        return [convert(value) for value in node]
    return node


with open(os.path.join(here, "order.openapi.json"), encoding="utf-8") as handle:
    spec = convert(json.load(handle))
spec["openapi"] = "3.1.0"
with open(os.path.join(here, "order.openapi31.json"), "w", encoding="utf-8") as handle:
    json.dump(spec, handle, indent=1)
    handle.write("\n")
