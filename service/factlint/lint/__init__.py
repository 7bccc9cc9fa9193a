"""factlint check: linting drafts against the archive (files, suppression, baseline, diff, output)."""
