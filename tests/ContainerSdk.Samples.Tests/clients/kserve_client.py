"""An independent KServe v2 client, written from the two specifications and sharing nothing with the service:
gRPC through stubs that grpc_tools compiles from the .proto, and the binary tensor data extension over HTTP/1.1 with
http.client and struct. Run with Debian's /usr/bin/python3 (python3-grpcio, python3-grpc-tools).

    kserve_client.py GEN_DIR HOST HTTP_PORT GRPC_PORT MODEL INPUTS_JSON

INPUTS_JSON: [{"name", "datatype", "shape", "data"}]. Prints one JSON object: every output as little-endian hex,
per protocol (json, binary, grpc), plus what the service answered to hostile requests.
"""
import http.client
import json
import struct
import sys

gen_dir, host, http_port, grpc_port, model, inputs_json = sys.argv[1:7]
sys.path.insert(0, gen_dir)
import grpc  # noqa: E402
import grpc_predict_v2_pb2 as pb  # noqa: E402
import grpc_predict_v2_pb2_grpc as rpc  # noqa: E402

INPUTS = json.loads(inputs_json)
FORMAT = {"FP32": "f", "FP64": "d", "FP16": "e", "INT8": "b", "INT16": "h", "INT32": "i", "INT64": "q",
          "UINT8": "B", "UINT16": "H", "UINT32": "I", "UINT64": "Q", "BOOL": "?"}


def encode(datatype, values):
    if datatype == "BYTES":
        return b"".join(struct.pack("<I", len(v)) + v for v in (s.encode("utf-8") for s in values))
    return struct.pack("<%d%s" % (len(values), FORMAT[datatype]), *values)


def post(body, headers):
    conn = http.client.HTTPConnection(host, int(http_port), timeout=30)
    try:
        conn.request("POST", "/v2/models/%s/infer" % model, body, headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def split_response(headers, data):
    """The response's JSON header and each output's bytes (binary ones sliced off after the header)."""
    length = int(headers.get("inference-header-content-length", len(data)))
    header = json.loads(data[:length].decode("utf-8"))
    offset, result = length, {}
    for output in header["outputs"]:
        size = output.get("parameters", {}).get("binary_data_size")
        if size is None:
            raw = encode(output["datatype"], output["data"])
        else:
            raw = data[offset:offset + size]
            offset += size
        result[output["name"]] = {"datatype": output["datatype"], "shape": output["shape"], "hex": raw.hex()}
    assert offset == len(data), "binary sizes must add up to the body"
    return result


def binary_request(inputs, extra_tail=b""):
    header = {"inputs": [], "parameters": {"binary_data_output": True}}
    tail = b""
    for t in inputs:
        data = encode(t["datatype"], t["data"])
        header["inputs"].append({"name": t["name"], "shape": t["shape"], "datatype": t["datatype"],
                                 "parameters": {"binary_data_size": len(data)}})
        tail += data
    head = json.dumps(header).encode("utf-8")
    return head, tail + extra_tail


out = {}

# JSON
status, headers, data = post(json.dumps({"inputs": INPUTS}).encode("utf-8"), {"Content-Type": "application/json"})
assert status == 200, data
out["json"] = split_response(headers, data)

# Binary tensor data extension
head, tail = binary_request(INPUTS)
status, headers, data = post(head + tail, {"Content-Type": "application/octet-stream",
                                           "Inference-Header-Content-Length": str(len(head))})
assert status == 200, data
assert headers["content-type"].startswith("application/octet-stream"), headers
out["binary"] = split_response(headers, data)

# gRPC, raw contents
channel = grpc.insecure_channel("%s:%s" % (host, grpc_port))
stub = rpc.GRPCInferenceServiceStub(channel)
out["grpc_live"] = stub.ServerLive(pb.ServerLiveRequest()).live
out["grpc_ready"] = stub.ModelReady(pb.ModelReadyRequest(name=model)).ready
out["grpc_extensions"] = list(stub.ServerMetadata(pb.ServerMetadataRequest()).extensions)
out["grpc_inputs"] = [i.name for i in stub.ModelMetadata(pb.ModelMetadataRequest(name=model)).inputs]
request = pb.ModelInferRequest(model_name=model, id="py")
for t in INPUTS:
    tensor = request.inputs.add()
    tensor.name, tensor.datatype = t["name"], t["datatype"]
    tensor.shape.extend(t["shape"])
    request.raw_input_contents.append(encode(t["datatype"], t["data"]))
response = stub.ModelInfer(request)
assert response.id == "py"
out["grpc"] = {o.name: {"datatype": o.datatype, "shape": list(o.shape), "hex": response.raw_output_contents[i].hex()}
               for i, o in enumerate(response.outputs)}

# Hostile requests
hostile = {}
hostile["header length beyond body"] = post(head + tail, {"Inference-Header-Content-Length": str(len(head + tail) + 1)})
hostile["negative header length"] = post(head + tail, {"Inference-Header-Content-Length": "-5"})
hostile["non-numeric header length"] = post(head + tail, {"Inference-Header-Content-Length": "twelve"})
hostile["trailing bytes"] = post(head + tail + b"\x00", {"Inference-Header-Content-Length": str(len(head))})
short_head = head.replace(b'"binary_data_size": ', b'"binary_data_size": 1', 1)
hostile["binary_data_size disagrees"] = post(short_head + tail, {"Inference-Header-Content-Length": str(len(short_head))})
out["hostile_http"] = {k: [s, json.loads(d.decode("utf-8")).get("error", "")] for k, (s, _, d) in hostile.items()}

codes = {}
bad = pb.ModelInferRequest()
bad.CopyFrom(request)
bad.raw_input_contents[0] = bad.raw_input_contents[0][:-1]
for name, req in [("raw one byte short", bad), ("unknown model", pb.ModelInferRequest(model_name="no-such-model"))]:
    try:
        stub.ModelInfer(req)
        codes[name] = ["OK", ""]
    except grpc.RpcError as e:
        codes[name] = [e.code().name, e.details()]
out["hostile_grpc"] = codes

# Still answering
status, headers, data = post(head + tail, {"Inference-Header-Content-Length": str(len(head))})
out["after_hostile"] = status
out["grpc_after_hostile"] = len(stub.ModelInfer(request).outputs)
print(json.dumps(out))
