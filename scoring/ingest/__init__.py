"""Getting signals in: readers turn a source (a file, a network's API) into records, the runner
batches them, and a writer stores each batch in one transaction (COPY on PostgreSQL)."""
