#!/usr/bin/env python3
"""Validates many JSON files against Mailroom's JSON Schemas in one run, for Tests/OpsTests/SchemaTests.swift.

Reads a manifest on stdin:
    {"groups": [{"schema": "fixtures/schemas/job.schema.json", "pointer": "", "files": ["a.json", ...]}, ...]}
`pointer` picks a subschema (e.g. "/$defs/update"); "" is the whole schema. Prints one JSON line per file:
    {"group": 0, "file": "a.json", "verdict": "valid" | "invalid" | "unparseable", "fields": [...], "messages": [...]}
`fields` names the top-level fields the schema errors are about ("job" for the document as a whole).

A file is parsed as an application would before validating: strict UTF-8 (no byte order mark), then Python's
json module, refusing NaN and Infinity (not JSON). Exit status 2 if a schema is itself invalid, 3 if jsonschema
is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("schema_verdicts.py: the Python package jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)


def parse(path):
    with open(path, "rb") as handle:
        data = handle.read()

    def refuse_constant(name):
        raise ValueError(f"{name} is not JSON")

    text = data.decode("utf-8")
    return json.loads(text, parse_constant=refuse_constant)


def blame(error, instance):
    """The top-level fields an error is about."""
    path = list(error.absolute_path)
    if path:
        return {str(path[0])}
    if error.validator == "required" and isinstance(instance, dict):
        return {name for name in error.validator_value if name not in instance}
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        return {name for name in instance if name not in known}
    if error.validator in ("anyOf", "oneOf", "allOf") and error.context:
        fields = set()
        for sub in error.context:
            fields |= blame(sub, instance)
        return fields
    return {"job"}


def validator_for(schema_path, pointer):
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    if pointer:
        # The subschema keeps the root's $defs, so its references resolve as they do in the whole schema.
        node = schema
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = dict(node, **{"$defs": schema.get("$defs", {})})
    return jsonschema.Draft202012Validator(schema)


def main():
    manifest = json.load(sys.stdin)
    for number, group in enumerate(manifest["groups"]):
        try:
            validator = validator_for(group["schema"], group.get("pointer", ""))
        except (jsonschema.SchemaError, KeyError, ValueError) as error:
            print(f"schema_verdicts.py: {group['schema']}{group.get('pointer', '')} is not a valid schema: {error}", file=sys.stderr)
            sys.exit(2)
        for path in group["files"]:
            line = {"group": number, "file": path}
            try:
                instance = parse(path)
            except (ValueError, RecursionError) as error:
                line.update(verdict="unparseable", fields=[], messages=[str(error)[:300]])
            else:
                errors = list(validator.iter_errors(instance))
                fields = set()
                for error in errors:
                    fields |= blame(error, instance)
                line.update(
                    verdict="invalid" if errors else "valid",
                    fields=sorted(fields),
                    messages=[error.message[:300] for error in errors[:5]],
                )
            print(json.dumps(line), flush=False)


if __name__ == "__main__":
    main()
