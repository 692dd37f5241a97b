"""The run: documents in (files, folders, JSONL, WARC, Parquet, standard input), records out, one per input and
in input order, through worker processes (`corpus`, `workers`), into sinks written whole (`output`, `shards`,
`document_files`), with the run's definition and statistics beside them (`runfile`, `stats`); and the learning
pass over a corpus (`learn`). It sits above the pipeline and below the commands and integrations."""
