#!/usr/bin/python3
"""Writes the ONNX models of the model-binding tests into OUTDIR (Debian's python3-onnx; opset <= 17).

Each model exercises one part of the binding contract: every element type, scalars, shared symbolic dimensions,
hostile tensor names, external data, a non-tensor (sequence) input, and a model with 200 inputs. Usage:
    /usr/bin/python3 make_models.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 17)]


def save(model, path, **kwargs):
    onnx.checker.check_model(model)
    onnx.save_model(model, path, **kwargs)


def tensor(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def model(graph, producer="containersdk-tests", **meta):
    m = helper.make_model(graph, opset_imports=OPSET, producer_name=producer, producer_version="1.0")
    m.ir_version = 8
    for k, v in meta.items():
        m.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))
    return m


ELEMENTS = [
    ("float", TensorProto.FLOAT), ("double", TensorProto.DOUBLE), ("float16", TensorProto.FLOAT16),
    ("bfloat16", TensorProto.BFLOAT16), ("int8", TensorProto.INT8), ("uint8", TensorProto.UINT8),
    ("int16", TensorProto.INT16), ("uint16", TensorProto.UINT16), ("int32", TensorProto.INT32),
    ("uint32", TensorProto.UINT32), ("int64", TensorProto.INT64), ("uint64", TensorProto.UINT64),
    ("bool", TensorProto.BOOL), ("string", TensorProto.STRING),
]


def all_types(out):
    inputs = [tensor("in_" + n, e, ["N", 2]) for n, e in ELEMENTS]
    outputs = [tensor("out_" + n, e, ["N", 2]) for n, e in ELEMENTS]
    nodes = [helper.make_node("Identity", ["in_" + n], ["out_" + n]) for n, _ in ELEMENTS]
    save(model(helper.make_graph(nodes, "all_types", inputs, outputs), purpose="every element type"), os.path.join(out, "all_types.onnx"))


def scalars(out):
    g = helper.make_graph([helper.make_node("Add", ["a", "b"], ["sum"])], "scalars",
                          [tensor("a", TensorProto.FLOAT, []), tensor("b", TensorProto.FLOAT, [])],
                          [tensor("sum", TensorProto.FLOAT, [])])
    save(model(g), os.path.join(out, "scalar-add.onnx"))


def shared_dims(out):
    g = helper.make_graph([helper.make_node("Add", ["A", "B"], ["C"])], "shared",
                          [tensor("A", TensorProto.INT64, ["batch", "seq"]), tensor("B", TensorProto.INT64, ["batch", "seq"])],
                          [tensor("C", TensorProto.INT64, ["batch", "seq"])])
    save(model(g), os.path.join(out, "shared_dims.onnx"))


def hostile(out):
    names_in = ["onnx::Flatten_0", "x.1", "13", "class", "名前", "x-1", "x_1", "Input"]
    names_out = ['{"a": 1, "b": [2]}', "ToString", "out\nline\"quote\\", "42"]
    inputs = [tensor(n, TensorProto.FLOAT, [1, 3]) for n in names_in]
    nodes = [helper.make_node("Sum", names_in[:4], [names_out[0]]),
             helper.make_node("Sum", names_in[4:], [names_out[1]]),
             helper.make_node("Mul", [names_in[0], names_in[1]], [names_out[2]]),
             helper.make_node("Identity", [names_in[2]], [names_out[3]])]
    outputs = [tensor(n, TensorProto.FLOAT, [1, 3]) for n in names_out]
    save(model(helper.make_graph(nodes, "hostile", inputs, outputs), producer="pytorch"), os.path.join(out, "hostile-names.onnx"))


def external(out):
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(3, 4), "W")
    b = numpy_helper.from_array(np.array([0.5, -1, 2, 0], dtype=np.float32), "bias")
    g = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["xw"]), helper.make_node("Add", ["xw", "bias"], ["y"])],
                          "external", [tensor("x", TensorProto.FLOAT, ["N", 3])], [tensor("y", TensorProto.FLOAT, ["N", 4])],
                          initializer=[w, b])
    m = model(g)
    onnx.checker.check_model(m)
    onnx.save_model(m, os.path.join(out, "external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external.onnx.data", size_threshold=0)


def sequence(out):
    seq = helper.make_tensor_sequence_value_info("items", TensorProto.FLOAT, None)
    g = helper.make_graph([helper.make_node("SequenceLength", ["items"], ["count"])], "sequence",
                          [seq], [tensor("count", TensorProto.INT64, [])])
    save(model(g), os.path.join(out, "sequence_input.onnx"))


def many_inputs(out):
    names = ["i%d" % k for k in range(200)]
    g = helper.make_graph([helper.make_node("Sum", names, ["total"])], "many",
                          [tensor(n, TensorProto.FLOAT, [1]) for n in names], [tensor("total", TensorProto.FLOAT, [1])])
    save(model(g), os.path.join(out, "many_inputs.onnx"))


def mlp(out):
    rng = np.random.default_rng(7)
    w1 = numpy_helper.from_array(rng.standard_normal((16, 32)).astype(np.float32), "w1")
    b1 = numpy_helper.from_array(rng.standard_normal(32).astype(np.float32), "b1")
    w2 = numpy_helper.from_array(rng.standard_normal((32, 4)).astype(np.float32), "w2")
    g = helper.make_graph([
        helper.make_node("MatMul", ["features", "w1"], ["h"]), helper.make_node("Add", ["h", "b1"], ["hb"]),
        helper.make_node("Relu", ["hb"], ["r"]), helper.make_node("MatMul", ["r", "w2"], ["scores"])],
        "mlp", [tensor("features", TensorProto.FLOAT, ["batch", 16])], [tensor("scores", TensorProto.FLOAT, ["batch", 4])],
        initializer=[w1, b1, w2])
    save(model(g), os.path.join(out, "mlp.onnx"))


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for make in (all_types, scalars, shared_dims, hostile, external, sequence, many_inputs, mlp):
        make(out)
