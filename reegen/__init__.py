"""reegen: turn a corpus of news articles into attributed executive briefs (PDF and DOCX).

The public API is imported lazily so that `reegen --help` does not pay for the renderers::

    import reegen
    result = reegen.build("briefs/baotou-executive.yaml")
    print(result.outputs["pdf"])
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__", "build", "validate", "load_document", "load_figures", "load_spec", "load_corpus",
    "BuildResult", "Document", "Report", "Diagnostic", "ReegenError", "BuildFailed",
]

_LAZY = {
    "build": "reegen.api", "validate": "reegen.api", "load_document": "reegen.api", "BuildResult": "reegen.api",
    "load_figures": "reegen.api",
    "load_spec": "reegen.spec", "load_corpus": "reegen.corpus", "Document": "reegen.model",
    "Report": "reegen.errors", "Diagnostic": "reegen.errors", "ReegenError": "reegen.errors",
    "BuildFailed": "reegen.errors",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reegen' has no attribute '{name}'")
