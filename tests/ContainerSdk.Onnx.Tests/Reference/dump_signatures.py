#!/usr/bin/python3
"""The independent reader for OnnxSignatureReader's cross-check: ONNX's own Python package (Debian's python3-onnx)
prints every model's graph inputs (initializers excluded) and outputs under ROOT, one line each:
    path <TAB> input|output <TAB> name <TAB> kind <TAB> element type number <TAB> dims
where dims is "-" for an unknown rank, else the dimensions joined by ",": a size, ?name, or ? (neither set).
Usage: /usr/bin/python3 dump_signatures.py ROOT
"""
import os
import sys

import onnx


def dims(tensor_type):
    if not tensor_type.HasField("shape"):
        return "-"
    out = []
    for d in tensor_type.shape.dim:
        if d.HasField("dim_value") and d.dim_value >= 0:
            out.append(str(d.dim_value))
        elif d.HasField("dim_param") and d.dim_param:
            out.append("?" + d.dim_param)
        else:
            out.append("?")
    return ",".join(out)


def describe(value):
    t = value.type
    kind = t.WhichOneof("value")
    if kind == "tensor_type":
        return "tensor", t.tensor_type.elem_type, dims(t.tensor_type)
    return {"sequence_type": "sequence", "map_type": "map", "optional_type": "optional",
            "sparse_tensor_type": "sparse_tensor"}.get(kind, "unknown"), 0, "-"


root = sys.argv[1]
for base, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        if not f.endswith(".onnx"):
            continue
        path = os.path.join(base, f)
        model = onnx.load(path, load_external_data=False)
        inits = {i.name for i in model.graph.initializer} | {s.values.name for s in model.graph.sparse_initializer}
        for role, values in (("input", [v for v in model.graph.input if v.name not in inits]), ("output", model.graph.output)):
            for v in values:
                kind, elem, d = describe(v)
                print("\t".join([path, role, v.name.replace("\t", "\\t").replace("\n", "\\n"), kind, str(elem), d]))
