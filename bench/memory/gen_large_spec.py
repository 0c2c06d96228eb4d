#!/usr/bin/env python3
"""Writes the large generated spec of the memory benchmark: PATHS paths (default 5,000),
each with a GET (an integer path parameter and two query parameters) and a PUT (the path
parameter and a six-property JSON body), so 2 x PATHS operations. Every schema is written
inline, none shared by $ref: identical schemas repeated once per operation, the way
generators and hand-written specs often are.

Usage: gen_large_spec.py OUT.json [PATHS]
"""
import json
import sys


def item_schema():
    return {
        "type": "object",
        "required": ["name", "price"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "price": {"type": "number", "minimum": 0},
            "quantity": {"type": "integer", "minimum": 0, "maximum": 1000},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
            "active": {"type": "boolean"},
            "kind": {"type": "string", "enum": ["a", "b", "c"]},
        },
        "additionalProperties": False,
    }


def path_item(i):
    id_param = {"name": "id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1}}
    return {
        "get": {
            "operationId": "bench.get_%05d" % i,
            "parameters": [
                id_param,
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "filter", "in": "query",
                 "schema": {"type": "string", "maxLength": 64}},
            ],
            "responses": {
                "200": {"description": "the item",
                        "content": {"application/json": {
                            "schema": item_schema(),
                            "example": {"name": "x", "price": 1}}}},
                "404": {"description": "no such item"},
            },
        },
        "put": {
            "operationId": "bench.put_%05d" % i,
            "parameters": [id_param],
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": item_schema()}}},
            "responses": {"204": {"description": "stored"}},
        },
    }


def spec(paths):
    return {
        "openapi": "3.0.3",
        "info": {"title": "generated large spec", "version": "1"},
        "paths": {"/r%05d/items/{id}" % i: path_item(i) for i in range(paths)},
    }


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    paths = int(sys.argv[2]) if len(sys.argv) == 3 else 5000
    with open(sys.argv[1], "w") as f:
        json.dump(spec(paths), f, indent=1)


if __name__ == "__main__":
    main()
