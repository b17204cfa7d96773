#!/usr/bin/python3
"""Copies ONNX backend-test models (Debian's libonnx-testdata) with their reference data into OUTDIR, for the
binding test that calls each generated binding and compares with the reference outputs.

For each chosen test NAME: OUTDIR/models/NAME.onnx, and OUTDIR/data/NAME/{inputs,outputs}.tsv listing one tensor a
line (index, element type number, dims joined by ',', file), with each tensor's data as raw little-endian bytes
(strings: a 4-byte little-endian length before each UTF-8 element). Usage:
    /usr/bin/python3 export_backend_tests.py OUTDIR EVERY_NTH
"""
import os
import shutil
import struct
import sys

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = "/usr/share/libonnx-testdata/data"


def write_tensor(path, tensor):
    array = numpy_helper.to_array(tensor)
    with open(path, "wb") as f:
        if tensor.data_type == onnx.TensorProto.STRING:
            for item in array.flatten():
                data = item if isinstance(item, bytes) else str(item).encode("utf-8")
                f.write(struct.pack("<i", len(data)))
                f.write(data)
        elif tensor.data_type in (onnx.TensorProto.FLOAT16,):
            f.write(array.astype(np.float16).tobytes())
        elif tensor.data_type == onnx.TensorProto.BFLOAT16:
            f.write(np.frombuffer(tensor.raw_data, dtype=np.uint16).tobytes() if tensor.raw_data else
                    np.array(tensor.int32_data, dtype=np.uint16).tobytes())
        else:
            f.write(np.ascontiguousarray(array).tobytes())
    return array.shape


# Random operators: their reference outputs are one draw, not a function of the inputs.
RANDOM = ("bernoulli", "dropout", "random")


def export(name, source, out):
    if any(r in name for r in RANDOM):
        return False
    data_set = os.path.join(source, "test_data_set_0")
    if not os.path.isdir(data_set):
        return False
    model = onnx.load(os.path.join(source, "model.onnx"))
    if any(not v.type.HasField("tensor_type") for v in list(model.graph.input) + list(model.graph.output)):
        return False  # non-tensor values get no binding (CSDK6010)
    target = os.path.join(out, "data", name)
    os.makedirs(target, exist_ok=True)
    for kind in ("input", "output"):
        lines = []
        files = sorted((f for f in os.listdir(data_set) if f.startswith(kind + "_")), key=lambda f: int(f[len(kind) + 1:-3]))
        for f in files:
            tensor = onnx.TensorProto()
            with open(os.path.join(data_set, f), "rb") as fh:
                tensor.ParseFromString(fh.read())
            index = int(f[len(kind) + 1:-3])
            shape = write_tensor(os.path.join(target, f + ".bin"), tensor)
            lines.append("%d\t%d\t%s\t%s" % (index, tensor.data_type, ",".join(str(d) for d in shape), f + ".bin"))
        with open(os.path.join(target, kind + "s.tsv"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
    shutil.copy(os.path.join(source, "model.onnx"), os.path.join(out, "models", name + ".onnx"))
    return True


if __name__ == "__main__":
    out, every = sys.argv[1], int(sys.argv[2])
    os.makedirs(os.path.join(out, "models"), exist_ok=True)
    names = sorted(os.listdir(os.path.join(ROOT, "node")))
    chosen = 0
    for i, name in enumerate(names):
        if i % every == 0 and export(name, os.path.join(ROOT, "node", name), out):
            chosen += 1
    print(chosen)
