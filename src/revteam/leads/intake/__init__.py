"""Intake: capture, forms, file formats, normalization, the parallel reader, the import and its writes."""
