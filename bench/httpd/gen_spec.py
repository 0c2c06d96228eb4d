#!/usr/bin/env python3
"""Writes bench/httpd/spec.yaml padded with generated paths, as JSON, for case (e) of the
httpd benchmark: the benchmarked GET /items/{id} stays, and N paths are added (N counts
the spec's paths in total, the two real ones included) so that routing has work to skip.

Half of the generated paths hang under the benchmarked route (/items/{id}/sub<i>: the
GET walks a node with N/2 literal children), half are top-level (/r<i>/things/{thingId}:
the first segment's lookup is among N/2 literals). Each has one GET operation with an
integer path parameter and a declared 200 response, whose operationId the plugin does not
export (the locations serving these specs set OpenAPIStub on).

Usage: gen_spec.py SPEC.yaml N OUT.json
"""
import json
import sys

import yaml


def padded(spec, total):
    paths = spec["paths"]
    extra = max(0, total - len(paths))
    item = {"$ref": "#/components/schemas/Item"}
    for i in range(extra):
        if i % 2:
            template = "/items/{id}/sub%05d" % i
            name = "id"
        else:
            template = "/r%05d/things/{thingId}" % i
            name = "thingId"
        paths[template] = {
            "get": {
                "operationId": "bench.generated_%05d" % i,
                "parameters": [{
                    "name": name, "in": "path", "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }],
                "responses": {
                    "200": {"description": "generated",
                            "content": {"application/json": {"schema": item}}},
                },
            },
        }
    return spec


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        spec = yaml.safe_load(f)
    with open(sys.argv[3], "w") as f:
        json.dump(padded(spec, int(sys.argv[2])), f, indent=1)


if __name__ == "__main__":
    main()
