"""The cleaner as a step of the engines corpus builders run: Ray Data (`ray`), datatrove (`datatrove`),
and the Arrow/Parquet form of its records (`records`). Each needs its extra; the core does not."""
