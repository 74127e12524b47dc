"""The whole business of the labour-services office, free of Qt.

SOP definitions, database models, the workflow engine, services (use cases), authentication,
numbering, audit, document rendering, signing and verification all live here, so that the
GUI, the admin CLI, the tests and the benchmarks use the same code.
"""
