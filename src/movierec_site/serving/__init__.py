"""Serving the published model: loading it once per process, swapping in a newly published one
without a restart, and the health checks that say whether a process is ready."""
