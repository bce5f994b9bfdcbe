"""Kokoro's int8 model with its 1-D ConvIntegers made into MatMulIntegers on signed weights.

The int8 model's convolutions are `ConvInteger` on uint8 activations and uint8 weights, which
ONNX Runtime can only run on its uint8 x uint8 GEMM: on x86 that kernel widens both to 16 bits,
while a uint8 x int8 GEMM runs on the CPU's VNNI dot-product instructions (AVX512-VNNI or
AVX-VNNI). ConvInteger was 68 % of a Kokoro call's time in ONNX Runtime's profile, and
`ConvInteger` accepts no int8 weights, so each stride-1 1-D one becomes the same product written
out: the activations transposed to time-major, padded with their zero point, the kernel's taps
side by side (im2col as Slices and a Concat), one `MatMulInteger` against the weights shifted to
int8 (w - 128, zero point - 128: the same differences), and the int32 result transposed back.
The integers are the same, so the audio is the same sample for sample (verified on this
machine's calls, and by tests/test_kokoro_graph.py); a call spends ~25 % less CPU (README,
Performance). Without VNNI, ONNX Runtime's uint8 x int8 kernel sums pairs in saturating 16 bits
and could differ, so the original model is used there.

The rewrite edits the ONNX protobuf with a minimal schema of the fields it touches (every other
field passes through as an unknown field), so it needs only `protobuf`, which onnxruntime
already requires. It runs once, in a child process, and its file sits beside the model
(`models/kokoro-v1.0.int8.s8mm.onnx`); a failure leaves the original model in use.

    python -m render.engines.kokoro_graph SOURCE DEST
"""

from __future__ import annotations

import logging
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

VERSION = "1"  # of the rewrite: a new one makes a new file
SUFFIX = f".s8mm{VERSION}.onnx"

_UINT8, _INT8, _INT64 = 2, 3, 7  # ONNX TensorProto data types


def _schema():
    """Message classes for the part of onnx.proto the rewrite reads and writes."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    F = descriptor_pb2.FieldDescriptorProto
    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    file = descriptor_pb2.FileDescriptorProto(name="render_onnx_min.proto", package="render_onnx_min", syntax="proto2")

    def message(name, *fields):
        m = file.message_type.add(name=name)
        for number, fname, label, ftype, type_name in fields:
            f = m.field.add(name=fname, number=number, label=label, type=ftype)
            if type_name:
                f.type_name = ".render_onnx_min." + type_name

    message("TensorProto", (1, "dims", rep, F.TYPE_INT64, None), (2, "data_type", opt, F.TYPE_INT32, None),
            (5, "int32_data", rep, F.TYPE_INT32, None), (8, "name", opt, F.TYPE_STRING, None),
            (9, "raw_data", opt, F.TYPE_BYTES, None))
    message("AttributeProto", (1, "name", opt, F.TYPE_STRING, None), (3, "i", opt, F.TYPE_INT64, None),
            (4, "s", opt, F.TYPE_BYTES, None), (8, "ints", rep, F.TYPE_INT64, None),
            (20, "type", opt, F.TYPE_INT32, None))
    message("NodeProto", (1, "input", rep, F.TYPE_STRING, None), (2, "output", rep, F.TYPE_STRING, None),
            (3, "name", opt, F.TYPE_STRING, None), (4, "op_type", opt, F.TYPE_STRING, None),
            (5, "attribute", rep, F.TYPE_MESSAGE, "AttributeProto"), (7, "domain", opt, F.TYPE_STRING, None))
    message("GraphProto", (1, "node", rep, F.TYPE_MESSAGE, "NodeProto"),
            (5, "initializer", rep, F.TYPE_MESSAGE, "TensorProto"))
    message("ModelProto", (7, "graph", opt, F.TYPE_MESSAGE, "GraphProto"))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"render_onnx_min.{name}"))
            for name in ("ModelProto", "NodeProto", "TensorProto", "AttributeProto")}


def _array(tensor) -> np.ndarray:
    dtype = {_UINT8: np.uint8, _INT8: np.int8, _INT64: np.int64}[tensor.data_type]
    if tensor.HasField("raw_data"):
        values = np.frombuffer(tensor.raw_data, dtype)
    else:
        values = np.array(tensor.int32_data, np.int32).astype(dtype)
    return values.reshape(tuple(tensor.dims))


def rewrite(data: bytes) -> tuple[bytes, int]:
    """The model's bytes with every stride-1, ungrouped 1-D ConvInteger on constant uint8 weights
    replaced as the module says; and how many were replaced."""
    schema = _schema()
    Node, Tensor, Attribute = schema["NodeProto"], schema["TensorProto"], schema["AttributeProto"]
    model = schema["ModelProto"].FromString(data)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    added: list = []

    def const(name: str, values: np.ndarray, dtype: int) -> str:
        added.append(Tensor(name=name, dims=list(values.shape), data_type=dtype,
                            raw_data=np.ascontiguousarray(values).tobytes()))
        return name

    def node(op: str, inputs: list[str], output: str, **ints) -> None:
        attrs = [Attribute(name=k, ints=v, type=7) for k, v in ints.items()]  # 7: INTS
        nodes.append(Node(op_type=op, input=inputs, output=[output], name=output, attribute=attrs))

    nodes: list = []
    replaced = 0
    for old in graph.node:
        attrs = {a.name: a for a in old.attribute}
        kernel = list(attrs["kernel_shape"].ints) if "kernel_shape" in attrs else []
        plain = (old.op_type == "ConvInteger" and old.domain in ("", "ai.onnx") and len(kernel) == 1
                 and list(attrs["strides"].ints if "strides" in attrs else [1]) == [1]
                 and (attrs["group"].i if "group" in attrs else 1) == 1
                 and (attrs["auto_pad"].s if "auto_pad" in attrs else b"NOTSET") == b"NOTSET"
                 and len(old.input) == 4 and old.input[1] in inits and old.input[3] in inits
                 and inits[old.input[1]].data_type == _UINT8 and inits[old.input[3]].data_type == _UINT8)
        if not plain:
            nodes.append(old)
            continue
        weights, zero = _array(inits[old.input[1]]), _array(inits[old.input[3]])
        if zero.size != 1 or weights.ndim != 3:
            nodes.append(old)
            continue
        out_channels, in_channels, taps = weights.shape
        dilation = list(attrs["dilations"].ints)[0] if "dilations" in attrs else 1
        left, right = list(attrs["pads"].ints) if "pads" in attrs else (0, 0)
        x, x_zero, p = old.input[0], old.input[2], old.output[0] + "/s8mm"
        # weights as (taps * in_channels, out) rows in the order the Concat lays the taps out
        signed = (weights.transpose(2, 1, 0).reshape(taps * in_channels, out_channels).astype(np.int16) - 128).astype(np.int8)
        w = const(p + "/w", signed, _INT8)
        w_zero = const(p + "/w_zero", (zero.reshape(()).astype(np.int16) - 128).astype(np.int8), _INT8)
        node("Transpose", [x], p + "/time_major", perm=[0, 2, 1])
        x = p + "/time_major"
        if left or right:
            pads = const(p + "/pads", np.array([0, left, 0, 0, right, 0], np.int64), _INT64)
            nodes.append(Node(op_type="Pad", input=[x, pads, x_zero], output=[p + "/padded"], name=p + "/padded"))
            x = p + "/padded"
        if taps > 1:
            columns = []
            for tap in range(taps):
                end = -(taps - 1 - tap) * dilation or np.iinfo(np.int64).max
                slice_inputs = [x, const(f"{p}/start{tap}", np.array([tap * dilation], np.int64), _INT64),
                                const(f"{p}/end{tap}", np.array([end], np.int64), _INT64),
                                const(f"{p}/axis{tap}", np.array([1], np.int64), _INT64)]
                nodes.append(Node(op_type="Slice", input=slice_inputs, output=[f"{p}/tap{tap}"], name=f"{p}/tap{tap}"))
                columns.append(f"{p}/tap{tap}")
            nodes.append(Node(op_type="Concat", input=columns, output=[p + "/columns"], name=p + "/columns",
                              attribute=[Attribute(name="axis", i=2, type=2)]))  # 2: INT
            x = p + "/columns"
        nodes.append(Node(op_type="MatMulInteger", input=[x, w, x_zero, w_zero], output=[p + "/product"], name=p + "/product"))
        node("Transpose", [p + "/product"], old.output[0], perm=[0, 2, 1])
        replaced += 1
    used = {name for n in nodes for name in n.input}
    kept = [t for t in graph.initializer if t.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    return model.SerializeToString(), replaced


def has_vnni() -> bool:
    """Whether this CPU has the int8 dot-product instructions (Linux x86-64: /proc/cpuinfo)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            return bool(flags & {"avx512_vnni", "avx_vnni"})
    return False


def fast_model(source: Path) -> Path:
    """The rewritten model beside `source`, made now if missing; `source` itself when this CPU
    has no VNNI, RENDER_KOKORO_S8MM=0 is set, or the rewrite fails (logged)."""
    if os.environ.get("RENDER_KOKORO_S8MM", "1") == "0" or not has_vnni():
        return source
    dest = source.with_name(source.name.removesuffix(".onnx") + SUFFIX)
    stamp = dest.with_name(dest.name + ".from")
    mark = f"{source.stat().st_size}:{source.stat().st_mtime_ns}"
    if dest.exists() and stamp.exists() and stamp.read_text() == mark:
        return dest
    log.info("rewriting Kokoro's ConvIntegers for this CPU's VNNI (once): %s", dest.name)
    done = subprocess.run([sys.executable, "-m", __name__, str(source), str(dest)],
                          capture_output=True, text=True)
    if done.returncode != 0 or not dest.exists():
        log.warning("Kokoro's faster model could not be made (%s); using %s",
                    (done.stderr.strip().splitlines() or ["no message"])[-1], source.name)
        return source
    stamp.write_text(mark)
    return dest


def main(argv: list[str]) -> int:
    source, dest = Path(argv[0]), Path(argv[1])
    data, replaced = rewrite(source.read_bytes())
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, dest)
    print(f"{replaced} ConvIntegers rewritten into {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
