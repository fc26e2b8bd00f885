"""File formats that `import_signals --format` reads. Each module has `read(path, network)`."""
