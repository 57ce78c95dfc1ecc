"""The model file: loaded and inspected (`inspect`'s report), rewritten for the browser, and
read for the metadata it implies."""
