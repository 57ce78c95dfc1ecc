"""shipyard: an ONNX model and its metadata become a static web app that runs in the browser."""

from importlib import metadata

__version__ = metadata.version("shipyard")
