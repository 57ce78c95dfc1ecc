"""onnxruntime-web's error text, read: what failed, and the reason in words.

Its messages wrap onnxruntime's: `Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE:
Could not find an implementation for AveragePool(1) node with name ''`, often with the
C++ source line and function before the reason. A bare status code (`ERROR_CODE: 9`) is
never the whole message shipyard shows: it becomes words, and the reason is kept without
the source location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# onnxruntime's status codes (onnxruntime_c_api.h, OrtErrorCode), in words.
STATUS = {
    1: "it failed",
    2: "an argument was invalid",
    3: "a file is missing",
    4: "there is no model",
    5: "the engine failed",
    6: "it raised an exception",
    7: "the file is not a valid ONNX protobuf",
    8: "the model was already loaded",
    9: "something it needs is not implemented",
    10: "the graph is invalid",
    11: "the execution provider failed",
}
_CODED = re.compile(r"ERROR_CODE: (\d+)(?:, ERROR_MESSAGE: (.*))?", re.DOTALL)
_WHERE = re.compile(r"^\S+\.(?:cc|h|cpp|hpp):\d+ ")  # a source location: `/…/model.cc:203 `
_NO_KERNEL = re.compile(r"Could not find an implementation for ([\w.]+)\((\d+)\) node with name '(.*)'")
_IR = re.compile(r"Unsupported model IR version: (\d+), max supported IR version: (\d+)")
_OPSET = re.compile(
    r"Opset (\d+) is under development.*support for domain (\S+) is till opset (\d+)", re.DOTALL
)
_RUNNING = re.compile(
    r"Non-zero status code returned while running ([\w.]+) node\. Name:'(.*?)' Status Message: "
)


@dataclass(frozen=True)
class OrtFailure:
    """Why onnxruntime-web could not open (`opening`) or run a model, as shipyard words it."""

    opening: bool  # True: creating the session failed; False: the run did
    reason: str  # onnxruntime's reason without codes or source locations
    operator: str = ""  # the operator it names, if any
    version: int = 0  # with a missing kernel: the operator's version (AveragePool-1)
    node: str = ""  # the node's name, if it has one
    ir: tuple[int, int] | None = None  # an IR version refused: (the model's, the newest read)
    opset: tuple[str, int, int] | None = None  # an opset too new: (domain, the model's, the newest)

    @property
    def missing_kernel(self) -> str:
        """`AveragePool-1` when onnxruntime-web has no kernel for that operator version, else ""."""
        return f"{self.operator}-{self.version}" if self.version else ""

    def describe(self, opset: str = "") -> str:
        """The failure as a clause after onnxruntime-web's name, `opset` (such as `ai.onnx
        opset 6`) said with the operator: `has no kernel for AveragePool-1 (ai.onnx opset 6)`,
        `cannot run the model: Reshape (ai.onnx opset 17, node 'r') failed: ...`."""
        about = ", ".join(part for part in (opset, f"node {self.node!r}" if self.node else "") if part)
        about = f" ({about})" if about else ""
        if self.missing_kernel:
            return f"has no kernel for {self.missing_kernel}{about}"
        if self.ir:
            return f"reads IR versions up to {self.ir[1]}, and the model's is {self.ir[0]}"
        if self.opset:
            domain, found, newest = self.opset
            return f"reads {domain} opsets up to {newest}, and the model's is {found}"
        doing = "open the model" if self.opening else "run the model"
        if self.operator:
            return f"cannot {doing}: {self.operator}{about} failed: {self.reason}"
        return f"cannot {doing}: {self.reason}"


def read_failure(text: str, opening: bool) -> OrtFailure:
    """The failure onnxruntime-web's error `text` describes."""
    reason = plain_reason(text)
    if found := _NO_KERNEL.search(reason):
        return OrtFailure(opening, reason, found[1], int(found[2]), found[3])
    if found := _IR.search(reason):
        return OrtFailure(opening, found[0], ir=(int(found[1]), int(found[2])))
    if found := _OPSET.search(reason):
        return OrtFailure(opening, reason, opset=(found[2], int(found[1]), int(found[3])))
    if found := _RUNNING.search(reason):
        return OrtFailure(opening, plain_reason(reason[found.end() :]), found[1], node=found[2])
    return OrtFailure(opening, reason)


def plain_reason(text: str) -> str:
    """onnxruntime's reason without its status code, source location and C++ function, and
    for a failed check (`x == 1 was false. ...`) without the condition."""
    coded = _CODED.search(text)
    if coded:
        given = (coded[2] or "").strip()
        code = int(coded[1])
        text = given or f"{STATUS.get(code, 'it failed')} (onnxruntime status {code})"
    text = text.strip()
    if _WHERE.match(text):
        text = _after_signature(_WHERE.sub("", text, count=1))
    if " was false. " in text:
        text = text.split(" was false. ", 1)[1]
    return text.strip()


def _after_signature(text: str) -> str:
    """`text` past the C++ signature it starts with: `void f(int, int) reason` gives `reason`."""
    depth, start = 0, text.find("(")
    if start < 0:
        return text
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[i + 1 :]
    return text
