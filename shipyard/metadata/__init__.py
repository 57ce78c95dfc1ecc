"""The metadata file: read, merged over what the model implies and checked against it, and
written by `init`; and the app's Python module."""
