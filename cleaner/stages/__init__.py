"""The pipeline's stages, in order: decode → repair → normalise → detect site → strip chrome →
extract metadata → tidy. Each is a pure function from `Document` to `Document`."""
