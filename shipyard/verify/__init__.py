"""`shipyard verify`: the inputs to try, the site run in Chromium and onnxruntime run on
CPython, how the two compare, and the report."""
