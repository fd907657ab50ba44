"""Hundredfold's composition root: config, the collection pipeline and the command line."""
