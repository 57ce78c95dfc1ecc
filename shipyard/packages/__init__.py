"""The app's requirements: declared, resolved to pure wheels and Pyodide's own packages, and
locked for the site; and the runtime's own wheel."""
