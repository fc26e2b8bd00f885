"""Bluesky, read live from Jetstream (its firehose as JSON over a WebSocket): `events` turns a
frame into what it means for Sway, `batch` writes a batch of them with the stream's cursor in
one transaction, `stream` keeps the connection and hands batches over
(`manage.py stream_bluesky`)."""
