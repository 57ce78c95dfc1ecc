"""The site: where its files go, the pinned npm assets and what is made from them once, the
page, the assembly, and a preview server."""
