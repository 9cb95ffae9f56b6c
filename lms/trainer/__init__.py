"""Trainer tools: preview and edit modules in the browser, question statistics, content health."""
